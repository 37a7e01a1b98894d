"""CJK fonts for generated documents: GB2312 subsets of Noto CJK, built once per installation.

A full Noto CJK collection is ~20 MB per weight. Subsetting it once to the 7,445 GB2312 characters (every
character of ordinary official documents) gives 3–4 MB faces that WeasyPrint embeds quickly and that
keep PDFs small (a letter 80 KB instead of 230 KB, the annual report 270 KB instead of 610 KB).

**Where they live.** In ``GONGKAI_FONT_DIR`` (default ``<sys.prefix>/share/gongkai/fonts``, i.e. inside the
virtualenv or install prefix): one set per installation, shared by every data folder, worker and test run
of that installation. A deployment with a read-only code tree builds them while building the image or
package (``gongkai fonts``) or points ``GONGKAI_FONT_DIR`` at a folder the installer may write.

**Who builds them.** Only ``gongkai fonts`` (run by ``scripts/install-fonts.sh`` from ``make run`` and
``make test``) and the background task ``documents.tasks.build_fonts``; each face takes about a minute.
A request or a document task never builds: when a subset is missing (never built, or its ``SUBSET_VERSION``
or source font changed) the document uses the system font through fontconfig (the CSS stacks below name
it after the subset), which costs a larger file, and the build is queued for the worker. ``gongkai
migrate`` (system check ``documents.W001``) says when subsets are missing.

Characters outside the subset (rare names) still print: the stacks list the full system font next.
The machine needs a CJK font first: ``scripts/install-fonts.sh`` installs Debian's ``fonts-noto-cjk``.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import logging
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from gongkai.core.errors import DomainError

from .guard import forbid_in_transaction
from .signals import fonts_missing

log = logging.getLogger(__name__)

#: Bump when the character set or subsetting options change: the file names change with it, so every
#: installation sees its subsets as missing (documents fall back to the system font) until rebuilt.
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

    key: str  # file stem of the built subset
    family: str  # CSS family name used in the generated HTML
    weight: int
    files: tuple[str, ...]  # candidate source file names, best first
    names: tuple[str, ...]  # family names inside a collection (and for fontconfig), best first
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

#: CSS font stacks: the subset first, then the same design from the system (fontconfig) for a missing
#: subset or a character outside GB2312, then whatever CJK font the machine has.
SERIF_STACK = '"GK Serif", "Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", serif'
SANS_STACK = '"GK Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'

_lock = threading.Lock()
#: When this process last queued a build (monotonic seconds): one request per few minutes is enough.
_queued_at: float | None = None
QUEUE_INTERVAL_S = 600


class FontMissing(DomainError):
    code = "font_missing"

    def __init__(self, face: Face) -> None:
        super().__init__(
            f"未找到中文字体（{face.role}，需要 {face.files[0]}），无法生成 PDF。"
            "请管理员运行 scripts/install-fonts.sh 安装 fonts-noto-cjk，再运行 gongkai fonts",
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


def default_font_dir() -> Path:
    """``<sys.prefix>/share/gongkai/fonts``: the virtualenv (or install prefix) this code runs from."""
    return Path(sys.prefix) / "share" / "gongkai" / "fonts"


def font_dir() -> Path:
    return Path(getattr(settings, "GONGKAI_FONT_DIR", None) or default_font_dir())


def _source_dirs() -> list[Path]:
    extra = os.environ.get("GONGKAI_CJK_FONT_SOURCES", "")
    dirs = [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs + [Path(p) for p in _SEARCH_DIRS]


def find_source(face: Face) -> Path | None:
    """The installed full font this face is cut from (``GONGKAI_CJK_FONT_SOURCES`` first)."""
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


def subset_path(face: Face, source: Path) -> Path:
    """Where the subset of ``face`` cut from ``source`` belongs: the name changes with the source file
    and ``SUBSET_VERSION``, so a stale subset is never used."""
    stamp = f"{source}:{source.stat().st_size}:{SUBSET_VERSION}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:10]
    return font_dir() / f"{face.key}-{digest}.otf"


def built(face: Face) -> Path | None:
    """The subset of ``face`` if it has been built for the current version; never builds."""
    source = find_source(face)
    if source is None:
        return None
    target = subset_path(face, source)
    return target if target.is_file() else None


def missing_faces(faces: tuple[Face, ...] = FACES) -> list[Face]:
    return [face for face in faces if built(face) is None]


@dataclass(frozen=True)
class FaceStatus:
    face: Face
    source: Path | None
    subset: Path | None  # where it belongs (None without a source)
    ready: bool


def status() -> list[FaceStatus]:
    """For ``gongkai fonts --check`` and the system check."""
    out = []
    for face in FACES:
        source = find_source(face)
        target = subset_path(face, source) if source else None
        out.append(FaceStatus(face, source, target, bool(target and target.is_file())))
    return out


def _load(face: Face, source: Path) -> Any:
    from fontTools.ttLib import TTFont

    # Bounding boxes of 7,000 CFF glyphs are already right in the source; recomputing them on save
    # costs more than the subsetting itself.
    return TTFont(str(source), fontNumber=collection_index(face, source), lazy=True, recalcBBoxes=False)


@functools.lru_cache(maxsize=16)
def _collection_names(source: str) -> tuple[str, ...]:
    from fontTools.ttLib import TTCollection

    # Only the name tables are read.
    return tuple(str(f["name"].getDebugName(1)) for f in TTCollection(source, lazy=True).fonts)


def collection_index(face: Face, source: Path) -> int:
    """Which member of a .ttc/.otc holds the simplified-Chinese design (0 for a single font)."""
    if source.suffix.lower() not in (".ttc", ".otc"):
        return 0
    names = _collection_names(str(source))
    return next((names.index(w) for w in face.names if w in names), 0)


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
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; workers may run as another user
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build_face(face: Face, *, force: bool = False) -> Path:
    """Build the subset of ``face`` (about a minute). Only ``gongkai fonts`` and the background task call
    this; documents use ``built()`` and fall back to the system font meanwhile."""
    forbid_in_transaction("building a font subset")
    source = find_source(face)
    if source is None:
        raise FontMissing(face)
    target = subset_path(face, source)
    if target.is_file() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # A thread lock for this process and a file lock for the others (the command, workers): one builds,
    # the rest wait and then find the file.
    with _lock, open(target.parent / ".subset.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if force or not target.is_file():
                _subset(face, source, target)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return target


def remove_stale(face: Face) -> list[Path]:
    """Subsets of ``face`` from an older version or source font, left behind in the font folder."""
    current = built(face)
    gone = []
    for path in font_dir().glob(f"{face.key}-*.otf"):
        # gk-serif-… must not take gk-serif-bold-…: the stem is key, a dash and a 10-digit digest.
        if path != current and len(path.stem) == len(face.key) + 11:
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def request_build() -> bool:
    """Queue the background build of the missing subsets (at most once per process every few minutes).

    Never builds here and never raises: the caller is rendering a document for someone. With the
    immediate task backend the task would run right here, inside the caller, so nothing is queued and the
    log says to run ``gongkai fonts``.
    """
    global _queued_at
    now = time.monotonic()
    if _queued_at is not None and now - _queued_at < QUEUE_INTERVAL_S:
        return False
    _queued_at = now
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend):
        log.warning("CJK font subsets are missing; run `gongkai fonts` (not queued: immediate task backend)")
        return False
    fonts_missing.send(sender=Face)  # documents.receivers queues tasks.build_fonts
    log.warning("CJK font subsets are missing: documents use the system font until the queued build finishes")
    return True


def families_ready(families: tuple[str, ...]) -> dict[str, list[tuple[Face, Path]]]:
    """Built subsets of each family whose every weight is built. A family with a weight missing is left
    out entirely, so its text comes from the system font in both weights rather than a faked bold."""
    out: dict[str, list[tuple[Face, Path]]] = {}
    missing = False
    for family in families:
        faces = [f for f in FACES if f.family == family]
        paths = [(f, built(f)) for f in faces]
        if faces and all(p is not None for _, p in paths):
            out[family] = [(f, p) for f, p in paths if p is not None]
        elif faces:
            missing = True
    if missing:
        if all(find_source(f) is None for f in FACES if f.family in families):
            raise FontMissing(next(f for f in FACES if f.family in families))
        request_build()
    return out


def font_face_css(families: tuple[str, ...] = ("GK Serif",)) -> str:
    """``@font-face`` rules for the built subsets of ``families``; missing ones are left to the system font
    (``SERIF_STACK`` / ``SANS_STACK``) and their build is queued."""
    rules = []
    for faces in families_ready(families).values():
        for face, path in faces:
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


def face_file(key: str) -> tuple[Path, int]:
    """A font file for Pillow (chart images): the subset when built, else the system font and the
    collection member, with the build queued."""
    face = next(f for f in FACES if f.key == key)
    path = built(face)
    if path is not None:
        return path, 0
    source = find_source(face)
    if source is None:
        raise FontMissing(face)
    request_build()
    return source, collection_index(face, source)
