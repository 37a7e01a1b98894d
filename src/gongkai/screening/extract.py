"""Text with locations out of attachments: PDF (page/line), DOCX (paragraph/table cell), XLSX/XLS/CSV
(sheet/row/column), OFD, DOC (rough), and — when the caller passes an ``ocr`` reader — images and PDF pages
without a text layer (page, line and the box of the words). No Django.

Every file ends with a status — ``ok``, ``unreadable`` or ``needs_manual_review`` — and a Chinese reason;
nothing here raises on bad input, because a crash would leave the entry with no verdict and a silent
"clean" would be worse.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .ocr import OcrPending, OcrText, OcrUnavailable
from .values import MaskRefused

OK, UNREADABLE, MANUAL = "ok", "unreadable", "needs_manual_review"
STATUS_LABELS = {OK: "已扫描", UNREADABLE: "无法读取", MANUAL: "需人工审查"}
MAX_BYTES = 60 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_RATIO = 100
MAX_CELLS = 2_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Segment:
    location: str
    text: str
    #: OCR text only: (start, end, x, y, w, h) of each word in ``text``, in pixels of the page image.
    boxes: tuple[tuple[int, int, int, int, int, int], ...] = ()

    def where(self, start: int, end: int) -> str:
        """Location of ``text[start:end]``: for OCR text, the box around the words it covers."""
        hit = [b for b in self.boxes if b[0] < end and b[1] > start]
        if not hit:
            return self.location
        x0, y0 = min(b[2] for b in hit), min(b[3] for b in hit)
        x1, y1 = max(b[2] + b[4] for b in hit), max(b[3] + b[5] for b in hit)
        return f"{self.location}（左 {x0}，上 {y0}，宽 {x1 - x0}，高 {y1 - y0} 像素）"


class OcrReader(Protocol):
    """Text of a scanned file: ``kind`` "image" (every frame) or "pdf" (the 1-based ``pages``).

    Raises ``OcrUnavailable`` (the file needs a person) or ``OcrPending`` (not recognised yet, and this
    caller may not run OCR: it propagates out of ``extract_bytes``).
    """

    def __call__(self, kind: str, data: bytes, pages: list[int]) -> OcrText: ...


@dataclass
class Extraction:
    kind: str
    status: str = OK
    reason: str = ""
    segments: list[Segment] = field(default_factory=list)
    #: PDF pages with no text layer (or almost none): scanned, for OCR.
    blank_pages: list[int] = field(default_factory=list)
    ocr_engine: str = ""

    def degrade(self, status: str, reason: str) -> None:
        """Keep the worst status; collect every reason."""
        if status == UNREADABLE or self.status == OK:
            self.status = status
        self.reason = f"{self.reason}；{reason}" if self.reason else reason


def check_zip(data: bytes) -> None:
    """Refuse archives whose declared size or ratio is absurd before any XML parser sees them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise MaskRefused("文件已损坏（压缩结构无效）") from exc
    if total > MAX_UNZIPPED or total > MAX_RATIO * max(len(data), 1) + 20_000_000:
        raise MaskRefused(f"文件解压后达 {total // (1024 * 1024)} MB，疑似压缩炸弹，已停止读取")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text/CSV file: BOM, then strict UTF-8, then GB18030 (a superset of GBK), then a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def family_of(name: str, data: bytes) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return "xls" if ext in ("xls", "et") else "doc"
    if data.startswith(b"PK\x03\x04"):
        return {"docx": "docx", "xlsx": "xlsx", "ofd": "ofd"}.get(ext, "zip")
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    if ext in ("csv", "txt", "html", "htm"):
        return "csv" if ext == "csv" else "txt"
    return "unknown"


def extract_bytes(name: str, data: bytes, *, max_bytes: int = MAX_BYTES, ocr: OcrReader | None = None) -> Extraction:
    if len(data) > max_bytes:
        return Extraction(
            "unknown",
            MANUAL,
            f"文件大小 {len(data) // (1024 * 1024)} MB，超过自动扫描上限 {max_bytes // (1024 * 1024)} MB",
        )
    if not data:
        return Extraction("unknown", UNREADABLE, "空文件")
    kind = family_of(name, data)
    reader = _READERS.get(kind)
    if reader is None and kind != "image":
        return Extraction(kind, UNREADABLE, "无法识别的文件格式")
    result = Extraction(kind)
    try:
        if reader is not None:
            reader(data, result)
        _scanned_pages(data, result, ocr)
    except OcrPending:
        raise
    except MaskRefused as exc:
        result.degrade(UNREADABLE, exc.reason)
    except MemoryError:
        result.degrade(UNREADABLE, "文件过大，读取时内存不足")
    except Exception as exc:  # any parser failure on hostile input is a status, never a crash
        result.degrade(UNREADABLE, f"文件已损坏或格式异常，无法读取（{type(exc).__name__}）")
    if result.status == OK and not any(s.text.strip() for s in result.segments):
        result.degrade(MANUAL, "文件中没有可提取的文字，请人工审查")
    return result


def extract_path(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Extraction:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return Extraction("unknown", UNREADABLE, f"文件无法打开（{exc.strerror or type(exc).__name__}）")
    if size > max_bytes:
        return Extraction(
            "unknown",
            MANUAL,
            f"文件大小 {size // (1024 * 1024)} MB，超过自动扫描上限 {max_bytes // (1024 * 1024)} MB",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Extraction("unknown", UNREADABLE, f"文件无法读取（{exc.strerror or type(exc).__name__}）")
    return extract_bytes(path.name, data, max_bytes=max_bytes)


def _scanned_pages(data: bytes, result: Extraction, ocr: OcrReader | None) -> None:
    """Images and text-less PDF pages: recognised by ``ocr`` when given, else left to a person."""
    if result.kind != "image" and not result.blank_pages:
        return
    if ocr is None:
        if result.kind == "image":
            result.degrade(MANUAL, "图片中的文字无法自动识别，请人工审查")
        else:
            result.degrade(MANUAL, f"第{_pages(result.blank_pages)}页没有文字层（可能是扫描件），请人工审查")
        return
    try:
        found = ocr(result.kind, data, result.blank_pages)
    except OcrUnavailable as exc:
        result.degrade(MANUAL, exc.reason)
        return
    result.ocr_engine = found.engine
    for line in found.lines():
        boxes = tuple((a, b, w.x, w.y, w.w, w.h) for a, b, w in line.spans())
        result.segments.append(Segment(f"第{line.page}页，识别文字第{line.number}行", line.text, boxes))
    if found.note:
        result.degrade(MANUAL, found.note)


def _pages(numbers: list[int]) -> str:
    return "、".join(str(p) for p in numbers[:10]) + ("等" if len(numbers) > 10 else "")


def _pdf(data: bytes, result: Extraction) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            result.degrade(UNREADABLE, "PDF 已加密（需要密码），无法读取")
            return
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if len(re.sub(r"\s", "", text)) < 5:
            result.blank_pages.append(number)
            continue
        for line_no, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                result.segments.append(Segment(f"第{number}页 第{line_no}行", line))


def _docx(data: bytes, result: Extraction) -> None:
    import docx

    check_zip(data)
    document = docx.Document(io.BytesIO(data))
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            result.segments.append(Segment(f"第{number}段", paragraph.text))
    for t_no, table in enumerate(document.tables, start=1):
        for r_no, row in enumerate(table.rows, start=1):
            for c_no, cell in enumerate(row.cells, start=1):
                if cell.text.strip():
                    result.segments.append(Segment(f"表格{t_no} 第{r_no}行第{c_no}列", cell.text))
    for s_no, section in enumerate(document.sections, start=1):
        # Secrecy marks and "内部资料" often sit in headers, which the body paragraphs do not include.
        for label, part in (("页眉", section.header), ("页脚", section.footer)):
            text = "\n".join(p.text for p in part.paragraphs)
            if text.strip():
                result.segments.append(Segment(f"第{s_no}节{label}", text))


def _cell_text(value: object) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return str(value)


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _xlsx(data: bytes, result: Extraction) -> None:
    import openpyxl

    check_zip(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    try:
        for sheet in book.worksheets:
            for r_no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c_no, value in enumerate(row, start=1):
                    text = _cell_text(value)
                    cells += 1
                    if text.strip():
                        result.segments.append(
                            Segment(f"工作表“{sheet.title}” 第{r_no}行 第{column_letter(c_no)}列", text)
                        )
                if cells > MAX_CELLS:
                    result.degrade(MANUAL, f"表格超过 {MAX_CELLS} 个单元格，只扫描了前面部分，请人工审查其余部分")
                    return
    finally:
        book.close()


def _xls(data: bytes, result: Extraction) -> None:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        message = "表格已加密，无法读取" if "encrypt" in str(exc).lower() else "表格已损坏或不是 Excel 97-2003 格式"
        result.degrade(UNREADABLE, message)
        return
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                text = _cell_text(sheet.cell_value(r, c))
                if text.strip():
                    result.segments.append(
                        Segment(f"工作表“{sheet.name}” 第{r + 1}行 第{column_letter(c + 1)}列", text)
                    )


def _csv(data: bytes, result: Extraction) -> None:
    text, encoding = decode_text(data)
    if "\ufffd" in text:
        result.degrade(MANUAL, f"文件编码无法完全识别（按 {encoding} 读取时有乱码），请人工审查")
    for r_no, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for c_no, cell in enumerate(row, start=1):
            if cell.strip():
                result.segments.append(Segment(f"第{r_no}行 第{column_letter(c_no)}列", cell))


def _txt(data: bytes, result: Extraction) -> None:
    text, encoding = decode_text(data)
    if "\ufffd" in text:
        result.degrade(MANUAL, f"文件编码无法完全识别（按 {encoding} 读取时有乱码），请人工审查")
    for line_no, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            result.segments.append(Segment(f"第{line_no}行", line))


_OFD_TEXT = re.compile(r"<ofd:TextCode[^>]*>([^<]*)</ofd:TextCode>")


def _ofd(data: bytes, result: Extraction) -> None:
    import html

    check_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        pages = sorted(
            (n for n in zf.namelist() if re.search(r"Pages/Page_\d+/Content\.xml$", n)),
            key=lambda n: int(re.search(r"Page_(\d+)", n).group(1)),  # type: ignore[union-attr]
        )
        for number, name in enumerate(pages, start=1):
            xml = zf.read(name).decode("utf-8", errors="replace")
            text = "".join(html.unescape(t) for t in _OFD_TEXT.findall(xml))
            if text.strip():
                result.segments.append(Segment(f"第{number}页", text))


def _utf16_runs(data: bytes) -> Iterator[str]:
    # Word 97-2003 keeps its text as UTF-16LE (or cp1252) pieces inside the WordDocument stream.
    for m in re.finditer(rb"(?:[\x20-\x7e\n\r\t]\x00|[\x00-\xff][\x4e-\x9f]|[\x0c-\x0d\x01-\x30]\xff){6,}", data):
        try:
            yield m.group().decode("utf-16-le")
        except UnicodeDecodeError:
            continue


def _doc(data: bytes, result: Extraction) -> None:
    for number, run in enumerate(_utf16_runs(data), start=1):
        if run.strip():
            result.segments.append(Segment(f"文字片段{number}", run))
    result.degrade(MANUAL, "旧版 Word（.doc）只能粗略提取文字，请人工复核或另存为 DOCX 后重新上传")


_READERS = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "xls": _xls,
    "csv": _csv,
    "txt": _txt,
    "ofd": _ofd,
    "doc": _doc,
}
