"""Optical character recognition of scanned attachments: images (JPEG, PNG, TIFF, GIF) and PDF pages without a
text layer. No Django.

Tesseract 5 (Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``, see scripts/install-ocr.sh) is called as a
subprocess with TSV output, which gives every word with its box; PDF pages are rendered by pdfium
(``pypdfium2``) at 300 dpi in grayscale. Recognition takes seconds a page, so only the task worker calls
``recognize``: everything else reads the cache (``ocrstore``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

DPI = 300
LANGS = "chi_sim+eng"
PSM = "6"  # one uniform block: lists and tables keep their rows as lines
MAX_PAGES = 50
PAGE_TIMEOUT = 180
#: A page whose words tesseract is on average less sure of than this (0–100) may hide what it misread: the
#: file then needs a person (a blurred photo of a list must not come out "clean").
MIN_CONFIDENCE = 60
#: Bump when rendering or post-processing changes: cached results of another version are not used.
PIPELINE = "1"


class OcrUnavailable(Exception):
    """OCR could not read the file (no tesseract, undecodable image, time-out): the file needs a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OcrPending(Exception):
    """Not recognised yet, and this caller may not run OCR (a request, the publication gate)."""


@dataclass(frozen=True)
class Word:
    page: int
    line: int
    x: int
    y: int
    w: int
    h: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"p": self.page, "l": self.line, "x": self.x, "y": self.y, "w": self.w, "h": self.h, "t": self.text}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Word:
        return cls(int(d["p"]), int(d["l"]), int(d["x"]), int(d["y"]), int(d["w"]), int(d["h"]), str(d["t"]))


@dataclass
class Line:
    """One recognised line: its text and, for each word, where it sits in the text and on the page."""

    page: int
    number: int
    words: list[Word] = field(default_factory=list)

    def spans(self) -> list[tuple[int, int, Word]]:
        out: list[tuple[int, int, Word]] = []
        pos = 0
        for i, word in enumerate(self.words):
            if i and _needs_space(self.words[i - 1].text, word.text):
                pos += 1
            out.append((pos, pos + len(word.text), word))
            pos += len(word.text)
        return out

    @property
    def text(self) -> str:
        parts: list[str] = []
        for i, word in enumerate(self.words):
            if i and _needs_space(self.words[i - 1].text, word.text):
                parts.append(" ")
            parts.append(word.text)
        return "".join(parts)


@dataclass
class OcrText:
    engine: str
    pages: list[int]
    words: list[Word]
    #: "only the first 50 pages were recognised" and the like: the file still needs a person for the rest.
    note: str = ""

    def lines(self) -> list[Line]:
        out: dict[tuple[int, int], Line] = {}
        for word in self.words:
            line = out.setdefault((word.page, word.line), Line(word.page, word.line))
            line.words.append(word)
        return [out[k] for k in sorted(out)]

    @property
    def text(self) -> str:
        by_page: dict[int, list[str]] = {}
        for line in self.lines():
            by_page.setdefault(line.page, []).append(line.text)
        return "\n\f".join("\n".join(by_page[p]) for p in sorted(by_page))


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _needs_space(left: str, right: str) -> bool:
    # Tesseract splits Chinese into one "word" a character: no space between two of them. Elsewhere a space,
    # so a number next to a name stays a number of its own.
    return not (_CJK.match(left[-1:]) and _CJK.match(right[:1]))


_DIGITISH = str.maketrans({"l": "1", "I": "1", "|": "1", "o": "0", "O": "0"})


def _fix_digits(text: str) -> str:
    """A word that is a number except for look-alike letters (l for 1, O for 0) is read as the number."""
    if sum(c.isdigit() for c in text) >= 6 and re.fullmatch(r"[0-9lIoO|]+[Xx]?", text):
        return text.translate(_DIGITISH)
    return text


_version: list[str] = []


def tesseract_version() -> str:
    """``tesseract 5.3.0``, asked once a process; empty (and asked again next time) while it is missing."""
    if _version:
        return _version[0]
    binary = shutil.which("tesseract")
    if binary is None:
        return ""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    first = (out.stdout or out.stderr).splitlines()[:1]
    if first and first[0].strip():
        _version.append(first[0].strip())
        return _version[0]
    return ""


def engine_version() -> str:
    """What a cached result was made with; empty when tesseract is missing."""
    version = tesseract_version()
    return f"{version} {LANGS} psm{PSM} {DPI}dpi p{PIPELINE}" if version else ""


def languages_installed() -> bool:
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    langs = set(out.stdout.split())
    return all(lang in langs for lang in LANGS.split("+"))


class PageWords(list[Word]):
    """The words of one page, and tesseract's mean confidence in them (None: no word on the page)."""

    confidence: float | None = None


def run_tesseract(png: bytes, page: int) -> PageWords:
    """Words of one page image (PNG bytes) with their boxes in pixels of that image."""
    # One thread a process: with OpenMP's default, two workers on two cores run ~10x slower, not faster.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        out = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGS, "--psm", PSM, "tsv"],
            input=png,
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            env=env,
            check=False,
        )
    except FileNotFoundError as exc:
        raise OcrUnavailable("服务器未安装文字识别组件（tesseract），扫描件中的文字无法自动识别，请人工审查") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(f"第{page}页文字识别超时，请人工审查") from exc
    if out.returncode != 0:
        detail = out.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1:] or ["?"]
        raise OcrUnavailable(f"第{page}页文字识别失败（{detail[0][:80]}），请人工审查")
    tsv = out.stdout.decode("utf-8", errors="replace")
    words = PageWords(parse_tsv(tsv, page))
    words.confidence = mean_confidence(tsv)
    return words


def mean_confidence(tsv: str) -> float | None:
    """Mean of tesseract's per-word confidence (0–100) over the words it read; None when it read none."""
    values = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            try:
                conf = float(row.get("conf") or -1)
            except ValueError:
                continue
            if conf >= 0:
                values.append(conf)
    return sum(values) / len(values) if values else None


def parse_tsv(tsv: str, page: int) -> list[Word]:
    words: list[Word] = []
    lines: dict[tuple[str, str, str], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        number = lines.setdefault(key, len(lines) + 1)
        words.append(
            Word(
                page,
                number,
                int(row["left"]),
                int(row["top"]),
                int(row["width"]),
                int(row["height"]),
                _fix_digits(text),
            )
        )
    return words


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_pages(data: bytes) -> list[bytes]:
    """Each frame of an image file (TIFF can hold many) as a grayscale PNG."""
    from PIL import Image, ImageOps

    try:
        image = Image.open(io.BytesIO(data))
        frames = []
        for index in range(min(getattr(image, "n_frames", 1), MAX_PAGES)):
            image.seek(index)
            frame = ImageOps.exif_transpose(image.copy()) or image.copy()
            frames.append(_png(frame.convert("L")))
    except Exception as exc:  # a hostile or broken image is a status, never a crash
        raise OcrUnavailable(f"图片无法解码（{type(exc).__name__}），请人工审查") from exc
    return frames


def pdf_pages(data: bytes, pages: list[int]) -> list[tuple[int, bytes]]:
    """The given 1-based pages of a PDF rendered at ``DPI`` in grayscale, as PNG."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except Exception as exc:
        raise OcrUnavailable(f"PDF 无法渲染（{type(exc).__name__}），请人工审查") from exc
    out = []
    try:
        for number in pages:
            page = document[number - 1]
            try:
                bitmap = page.render(scale=DPI / 72, grayscale=True)
                out.append((number, _png(bitmap.to_pil().convert("L"))))
            finally:
                page.close()
    except OcrUnavailable:
        raise
    except Exception as exc:
        raise OcrUnavailable(f"PDF 页面无法渲染（{type(exc).__name__}），请人工审查") from exc
    finally:
        document.close()
    return out


def recognize(kind: str, data: bytes, pages: list[int]) -> OcrText:
    """OCR of an image file (every frame) or of the given pages of a PDF. Slow: the task worker's job."""
    engine = engine_version()
    if not engine:
        raise OcrUnavailable("服务器未安装文字识别组件（tesseract），扫描件中的文字无法自动识别，请人工审查")
    note = ""
    if kind == "pdf":
        if len(pages) > MAX_PAGES:
            note = f"扫描页超过 {MAX_PAGES} 页，只识别了前 {MAX_PAGES} 页，请人工审查其余页"
        images = pdf_pages(data, pages[:MAX_PAGES])
    else:
        images = list(enumerate(image_pages(data), start=1))
    words: list[Word] = []
    doubtful: list[str] = []
    for number, png in images:
        found = run_tesseract(png, number)
        words.extend(found)
        confidence = getattr(found, "confidence", None)
        if confidence is not None and confidence < MIN_CONFIDENCE:
            doubtful.append(f"第{number}页（平均可信度 {confidence:.0f}%）")
    if doubtful:
        low = f"{'、'.join(doubtful[:5])}识别可信度低，可能有未识别出的个人信息，请人工审查"
        note = f"{note}；{low}" if note else low
    return OcrText(engine, [n for n, _ in images], words, note)
