"""CJK fonts for generated documents, subset once to GB2312 + ASCII + punctuation and cached.

A full Noto CJK collection is ~20 MB per weight; loading and subsetting it inside every PDF render costs
~10 s. Subsetting once to the 7,445 GB2312 characters (every character of ordinary official documents)
and keeping the result under ``DATA_DIR/fonts/`` brings a PDF down to ~2 s. Characters outside the subset
(rare names) still print: the CSS in ``pdf.py`` lists the system font after the subset as a fallback.

The machine needs a CJK font first: ``scripts/install-fonts.sh`` installs Debian's ``fonts-noto-cjk``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.core.errors import DomainError

#: Bump when the character set or subsetting options change, so cached files are rebuilt.
SUBSET_VERSION = "1"

_SEARCH_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
)


@dataclass(frozen=True)
class Face:
    """One font face the documents use, and where its source may be found."""

    key: str  # file stem of the cached subset
    family: str  # CSS family name used in the generated HTML
    weight: int
    files: tuple[str, ...]  # candidate source file names, best first
    names: tuple[str, ...]  # family names inside a collection, best first
    role: str  # what Chinese typography calls it, for messages


# Noto Serif stands in for 仿宋/小标宋 and Noto Sans for 黑体: they are the free CJK faces Debian ships.
# DOCX output names the real official faces instead (see docx.py), which Word on government PCs has.
FACES: tuple[Face, ...] = (
    Face(
        "gk-serif",
        "GK Serif",
        400,
        ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf", "NotoSerifSC-Regular.otf"),
        ("Noto Serif CJK SC", "Noto Serif SC"),
        "正文（仿宋）",
    ),
    Face(
        "gk-serif-bold",
        "GK Serif",
        700,
        ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf", "NotoSerifSC-Bold.otf"),
        ("Noto Serif CJK SC", "Noto Serif SC"),
        "标题（小标宋）",
    ),
    Face(
        "gk-sans",
        "GK Sans",
        400,
        ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
        ("Noto Sans CJK SC", "Noto Sans SC"),
        "表格（黑体常规）",
    ),
    Face(
        "gk-sans-bold",
        "GK Sans",
        700,
        ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"),
        ("Noto Sans CJK SC", "Noto Sans SC"),
        "小标题（黑体）",
    ),
)

_lock = threading.Lock()


class FontMissing(DomainError):
    code = "font_missing"

    def __init__(self, face: Face) -> None:
        super().__init__(
            f"未找到中文字体（{face.role}，需要 {face.files[0]}），无法生成 PDF。"
            "请管理员运行 scripts/install-fonts.sh 安装 fonts-noto-cjk",
            field=None,
        )


def charset() -> str:
    """GB2312 (all 87 rows), printable ASCII, and the punctuation official documents use."""
    chars: set[str] = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    # CJK symbols (〔〕〇 are not all in GB2312), full-width forms, general punctuation, box drawing.
    for start, end in ((0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2000, 0x206F), (0x2460, 0x24FF), (0x2500, 0x257F)):
        chars.update(chr(c) for c in range(start, end + 1))
    chars.update("〇﹝﹞·•×÷±≤≥№℃‰")
    return "".join(sorted(chars))


def font_dir() -> Path:
    return Path(getattr(settings, "GONGKAI_FONT_DIR", None) or Path(settings.DATA_DIR) / "fonts")


def _source_dirs() -> list[Path]:
    extra = os.environ.get("GONGKAI_CJK_FONT_SOURCES", "")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs + [Path(p) for p in _SEARCH_DIRS]


def find_source(face: Face) -> Path | None:
    for name in face.files:
        for folder in _source_dirs():
            candidate = folder / name
            if candidate.is_file():
                return candidate
    for folder in _source_dirs():
        if folder.is_dir():
            for name in face.files:
                hit = next(iter(folder.rglob(name)), None)
                if hit:
                    return hit
    return None


def _cached_path(face: Face, source: Path) -> Path:
    stamp = f"{source}:{source.stat().st_size}:{SUBSET_VERSION}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:10]
    return font_dir() / f"{face.key}-{digest}.otf"


def _load(face: Face, source: Path) -> Any:
    from fontTools.ttLib import TTCollection, TTFont

    number = 0
    if source.suffix.lower() in (".ttc", ".otc"):
        # Only the name tables are read here; the chosen member alone is then loaded.
        names = [f["name"].getDebugName(1) for f in TTCollection(str(source), lazy=True).fonts]
        number = next((names.index(w) for w in face.names if w in names), 0)
    # Bounding boxes of 7,000 CFF glyphs are already right in the source; recomputing them on save
    # costs more than the subsetting itself.
    return TTFont(str(source), fontNumber=number, lazy=True, recalcBBoxes=False)


def _subset(face: Face, source: Path, target: Path) -> None:
    from fontTools import subset

    font = _load(face, source)
    options = subset.Options()
    # Vertical forms, locale forms and proportional punctuation; the rest of GSUB/GPOS is for CJK
    # typesetting we do not do and makes subsetting much slower.
    options.layout_features = ["vert", "vrt2", "locl", "palt", "halt", "kern", "liga"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # print output; hints only cost size
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(text=charset())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary name, then rename: a second process never reads a half-written font.
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def ensure_face(face: Face) -> Path:
    """Path of the cached subset of ``face``, building it the first time."""
    source = find_source(face)
    if source is None:
        raise FontMissing(face)
    target = _cached_path(face, source)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # A thread lock for this process and a file lock for the others (test runs, workers): one builds,
    # the rest wait and then find the file.
    with _lock, open(target.parent / ".subset.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if not target.is_file():
                _subset(face, source, target)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return target


def ensure_fonts() -> dict[str, Path]:
    """All faces, keyed by ``Face.key``: build every missing subset now (once per machine)."""
    return {face.key: ensure_face(face) for face in FACES}


def font_face_css(families: tuple[str, ...] = ("GK Serif",)) -> str:
    """``@font-face`` rules for the cached subsets of ``families``, with the system fonts as a fallback.

    Only the families a document uses are built: each face costs about a minute to subset the first time.
    """
    rules = []
    for face in FACES:
        if face.family not in families:
            continue
        path = ensure_face(face)
        locals_ = ", ".join(f'local("{n}")' for n in face.names)
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f'src: url("{path.as_uri()}"); }}\n'
            f'@font-face {{ font-family: "{face.family} Fallback"; font-weight: {face.weight}; '
            f"src: {locals_}; }}"
        )
    return "\n".join(rules)
