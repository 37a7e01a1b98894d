"""Reading a CSV (UTF-8 or GBK, detected) or XLSX file into rows of text keyed by column name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gongkai.core.errors import DomainError


class FileUnreadable(DomainError):
    code = "file_unreadable"


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number as the spreadsheet shows it, values)
    encoding: str = ""


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK/GB2312), then whatever
    charset-normalizer is confident about. Text with NUL or replacement characters is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, "GBK/GB18030" if encoding == "gb18030" else "UTF-8"
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        text = str(best)
        if "\x00" not in text and "\ufffd" not in text:
            return text, best.encoding
    raise FileUnreadable("无法识别文件编码：请将 CSV 另存为 UTF-8 或 GBK 编码后重新导入", field="file")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path | str, aliases: dict[str, str] | None = None) -> Table:
    """Rows of ``path``; header names are lower-cased and mapped through ``aliases`` (Chinese headers)."""
    path = Path(path)
    aliases = aliases or {}
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"无法读取文件 {path}：{exc.strerror}", field="file") from exc
    rows: list[list[Any]]
    encoding = ""
    if raw[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FileUnreadable(f"无法读取 XLSX 文件：{exc}", field="file") from exc
        ws = wb.worksheets[0]
        rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        encoding = "XLSX"
    elif path.suffix.lower() in (".xls", ".xlsx", ".xlsm", ".et"):
        raise FileUnreadable("只支持 .xlsx 或 .csv 文件：请将旧版 Excel（.xls）另存为 .xlsx", field="file")
    else:
        text, encoding = decode(raw)
        try:
            rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise FileUnreadable(f"CSV 格式有误：{exc}", field="file") from exc
    if not rows:
        raise FileUnreadable("文件是空的", field="file")
    header = [str(h).strip().lower() for h in rows[0]]
    header = [aliases.get(h, h) for h in header]
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v not in ("", None) for v in values):
            continue  # blank line
        out.append((number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}))
    return Table(columns=[h for h in header if h], rows=out, encoding=encoding)
