"""Masking: display values (``330102********1234``, ``138****5678``), texts, body HTML and spreadsheet copies.

No Django. PDFs, Word files and images are refused with a reason: their text may also live in images,
fonts or earlier revisions, so blanking the visible characters does not remove the data.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from gongkai.core.cells import safe_cell, safe_row

from .extract import check_zip, column_letter, decode_text
from .scanner import Finding, scan_text
from .values import MaskRefused, mask_value

__all__ = ["Column", "MaskRefused", "mask_file", "mask_html", "mask_text", "mask_value"]

#: A place as the review page names it (selectors.place_of): 工作表“名单” 第C列, or 第C列 in a CSV.
_PLACE = re.compile(r"^(?:工作表“(?P<sheet>[^”]*)” )?第(?P<col>[A-Z]{1,3})列$")


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet (of one sheet; ``sheet`` is None in a CSV): masking limited to its cells,
    for "mask all ID numbers in column C" while the other columns stay as they are (issue 21)."""

    sheet: str | None
    letter: str

    @classmethod
    def parse(cls, place: str) -> Column | None:
        match = _PLACE.match(place or "")
        return None if match is None else cls(match.group("sheet"), match.group("col"))

    def holds(self, sheet: str | None, index: int) -> bool:
        """Whether the cell in column ``index`` (1-based) of sheet ``sheet`` is in this column."""
        return (self.sheet is None or self.sheet == sheet) and column_letter(index) == self.letter

    @property
    def label(self) -> str:
        return f"{f'工作表“{self.sheet}” ' if self.sheet is not None else ''}第{self.letter}列"


def apply(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every given finding replaced by its masked value (spans must come from this text)."""
    out = text
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        out = out[: f.start] + f.masked + out[f.end :]
    return out


Scan = Callable[[str], list[Finding]]


def _scanner(unit_words: Iterable[Any]) -> Scan:
    words = list(unit_words)
    return lambda text: scan_text(text, unit_words=words)


def mask_text(text: str, kinds: Collection[str], *, unit_words: Iterable[Any] = ()) -> tuple[str, int]:
    """Mask every finding of ``kinds``; returns the new text and how many values were masked."""
    found = [f for f in _scanner(unit_words)(text) if f.kind in kinds]
    return apply(text, found), len(found)


_TAG = re.compile(r"(<[^>]*>)")
_ATTR = re.compile(r'(\s[\w:-]+\s*=\s*)(")([^"]*)(")')


def mask_html(body: str, kinds: Collection[str], *, unit_words: Iterable[Any] = ()) -> tuple[str, int]:
    """Mask inside text nodes and attribute values (``href="tel:…"``) of sanitized body HTML.

    A number split across tags (``3301<b>02</b>…``) is not masked here; the rescan that follows shows it
    still open, so nothing is silently reported as done.
    """
    scan = _scanner(unit_words)
    count = 0

    def mask_piece(raw: str) -> str:
        nonlocal count
        text = html.unescape(raw)
        found = [f for f in scan(text) if f.kind in kinds]
        if not found:
            return raw
        count += len(found)
        return html.escape(apply(text, found), quote=False)

    def mask_attr(m: re.Match[str]) -> str:
        nonlocal count
        text = html.unescape(m.group(3))
        found = [f for f in scan(text) if f.kind in kinds]
        if not found:
            return m.group(0)
        count += len(found)
        return m.group(1) + '"' + html.escape(apply(text, found), quote=True) + '"'

    parts = _TAG.split(body)
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = _ATTR.sub(mask_attr, part)
        elif part:
            parts[i] = mask_piece(part)
    return "".join(parts), count


def mask_csv(
    data: bytes, kinds: Collection[str], *, unit_words: Iterable[Any] = (), column: Column | None = None
) -> tuple[bytes, int]:
    """A masked copy of a CSV, in the encoding it came in (GBK files stay GBK for the officers' Excel); with
    ``column``, only that column's cells are masked."""
    text, encoding = decode_text(data)
    scan = _scanner(unit_words)
    count = 0
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        new_row = []
        for index, cell in enumerate(row, start=1):
            if column is not None and not column.holds(None, index):
                new_row.append(cell)
                continue
            found = [f for f in scan(cell) if f.kind in kinds]
            count += len(found)
            new_row.append(apply(cell, found) if found else cell)
        writer.writerow(safe_row(new_row))  # a published copy must not carry a formula typed into the list
    payload = out.getvalue()
    if encoding == "utf-8-sig":
        return payload.encode("utf-8-sig"), count
    try:
        return payload.encode(encoding), count
    except (UnicodeEncodeError, LookupError):
        return payload.encode("gb18030"), count


def _cell_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e9:
        return str(int(value))
    return None


def mask_xlsx(
    data: bytes, kinds: Collection[str], *, unit_words: Iterable[Any] = (), column: Column | None = None
) -> tuple[bytes, int]:
    """A masked copy of an XLSX workbook (with ``column``, of that column only). Numbers that held an identifier
    become masked text."""
    import openpyxl

    check_zip(data)
    scan = _scanner(unit_words)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise MaskRefused(f"表格无法打开，不能生成打码副本（{type(exc).__name__}）") from exc
    count = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = _cell_text(cell.value)
                if not text:
                    continue
                inside = column is None or column.holds(sheet.title, int(cell.column or 0))
                found = [f for f in scan(text) if f.kind in kinds] if inside else []
                if found:
                    count += len(found)
                    cell.value = apply(text, found)
                    cell.number_format = "@"
                elif isinstance(cell.value, str) and cell.data_type != "f":
                    cell.value = safe_cell(cell.value)  # text that would run as a formula; real formulas stay
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def mask_xls(
    data: bytes, kinds: Collection[str], *, unit_words: Iterable[Any] = (), column: Column | None = None
) -> tuple[bytes, int]:
    """Old .xls cannot be written back; the masked copy is an XLSX with the same sheets and cells (with
    ``column``, masked in that column only)."""
    import openpyxl
    import xlrd

    scan = _scanner(unit_words)
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise MaskRefused(f"表格无法打开，不能生成打码副本（{type(exc).__name__}）") from exc
    out_book = openpyxl.Workbook()
    out_book.remove(out_book.worksheets[0])
    count = 0
    for sheet in book.sheets():
        target = out_book.create_sheet(sheet.name[:31] or "Sheet")
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = sheet.cell_value(r, c)
                text = _cell_text(value)
                if text and (column is None or column.holds(sheet.name, c + 1)):
                    found = [f for f in scan(text) if f.kind in kinds]
                    if found:
                        count += len(found)
                        value = apply(text, found)
                if value != "":
                    target.cell(row=r + 1, column=c + 1, value=safe_cell(value))
    out = io.BytesIO()
    out_book.save(out)
    return out.getvalue(), count


REFUSALS = {
    "pdf": "PDF 不能自动打码：文字可能同时存在于文字层、图像和字体中，遮盖可见字符不能删除原始数据。"
    "请在源文件（Word/Excel）中打码后重新导出 PDF 上传",
    "docx": "Word 文档不能自动打码：修订记录、批注和文本框中可能保留原文。请在源文件中打码后重新上传",
    "doc": "旧版 Word 文档不能自动打码，请在源文件中打码后重新上传",
    "wps": "WPS 文档不能自动打码，请在源文件中打码后重新上传",
    "ofd": "OFD 版式文件不能自动打码，请在源文件中打码后重新导出上传",
    "image": "图片不能自动打码，请处理图片后重新上传",
}
MASKABLE = {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "xls": "xls", "et": "xls"}


def mask_file(
    name: str, data: bytes, kinds: Collection[str], *, unit_words: Iterable[Any] = (), column: Column | None = None
) -> tuple[str, bytes, int]:
    """A masked copy of an attachment: ``(new name, bytes, masked count)``; raises ``MaskRefused``. With
    ``column`` only that column of a spreadsheet is masked (a plain text file has no columns: refused)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    family = MASKABLE.get(ext)
    if family is None:
        key = "image" if ext in ("jpg", "jpeg", "png", "gif") else ext
        raise MaskRefused(REFUSALS.get(key, f"“{name}”的文件类型不能自动打码，请在源文件中处理后重新上传"))
    stem = name.rsplit(".", 1)[0].removesuffix("（已打码）")  # masking a masked copy again keeps one suffix
    if column is not None and ext == "txt":
        raise MaskRefused("文本文件没有列，请按类型整体打码")
    if family == "csv":
        if ext == "txt":
            text_bytes, count = _mask_plain(data, kinds, unit_words)
            return f"{stem}（已打码）.txt", text_bytes, count
        payload, count = mask_csv(data, kinds, unit_words=unit_words, column=column)
        return f"{stem}（已打码）.csv", payload, count
    if family == "xlsx":
        payload, count = mask_xlsx(data, kinds, unit_words=unit_words, column=column)
        return f"{stem}（已打码）.xlsx", payload, count
    payload, count = mask_xls(data, kinds, unit_words=unit_words, column=column)
    return f"{stem}（已打码）.xlsx", payload, count


def _mask_plain(data: bytes, kinds: Collection[str], unit_words: Iterable[Any]) -> tuple[bytes, int]:
    text, encoding = decode_text(data)
    masked, count = mask_text(text, kinds, unit_words=unit_words)
    return masked.encode("utf-8-sig" if encoding == "utf-8-sig" else encoding, errors="strict"), count


def masked_context(text: str, finding: Finding, others: Iterable[Finding] = (), width: int = 18) -> str:
    """The text around a finding, with it and every other finding in the window masked, on one line."""
    lo, hi = max(0, finding.start - width), min(len(text), finding.end + width)
    window = [f for f in (finding, *others) if f.start >= lo and f.end <= hi and f.kind not in ("unit_word",)]
    seen: set[tuple[int, int]] = set()
    unique = []
    for f in window:
        if (f.start, f.end) not in seen:
            seen.add((f.start, f.end))
            unique.append(f)
    shifted = [type(f)(f.kind, f.severity, f.start - lo, f.end - lo, f.value, f.masked) for f in unique]
    snippet = apply(text[lo:hi], _non_overlapping(shifted))
    snippet = re.sub(r"\s+", " ", snippet).strip()
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out
