"""Published spreadsheets as tables on the entry page (issue 21): the villager who opens the QR link of a 低保 list
on a phone reads the (masked) list on the page instead of downloading "（已打码）.xlsx".

Only attachments a reader may download are shown (``selectors.public_attachments``: never a replaced original),
and only what the file shows: visible sheets, visible rows and columns, cell values as displayed (formulas by their
last computed value). Large sheets are cut at ``MAX_ROWS`` with a note and the download link. Read once per
file content (``sha256``) and process: the builder renders every page of an entry again when it changes.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from gongkai.catalog.models import Attachment

log = logging.getLogger(__name__)

MAX_ROWS = 500
MAX_COLS = 30
KINDS = {"xlsx", "csv"}


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total_rows: int
    cut_columns: bool = False

    @property
    def truncated(self) -> bool:
        return self.total_rows > len(self.rows)


@dataclass(frozen=True)
class AttachmentTables:
    attachment: Attachment
    sheets: list[Sheet] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet(name: str, rows: list[list[str]], total: int | None = None) -> Sheet | None:
    """The first non-empty row as the header; at most ``MAX_ROWS`` rows kept, ``total`` counted."""
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    width = min(max(len(r) for r in rows), MAX_COLS + 1)
    cut = width > MAX_COLS
    width = min(width, MAX_COLS)
    padded = [tuple((r + [""] * width)[:width]) for r in rows[: MAX_ROWS + 1]]
    body_total = (len(rows) if total is None else total) - 1
    return Sheet(name, padded[0], tuple(padded[1:]), body_total, cut)


def _xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    # Not read-only: the hidden flags of rows and columns live in the sheet's dimensions.
    wb = load_workbook(io.BytesIO(data), data_only=True)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden_cols = {key for key, dim in ws.column_dimensions.items() if dim.hidden}
        hidden_rows = {idx for idx, dim in ws.row_dimensions.items() if dim.hidden}
        kept: list[list[str]] = []
        total = 0
        for row in ws.iter_rows():
            if not row or row[0].row in hidden_rows:
                continue
            values = [_text(c.value) for c in row if getattr(c, "column_letter", "") not in hidden_cols]
            if not any(values):
                continue
            total += 1
            if len(kept) <= MAX_ROWS:
                kept.append(values)
        sheet = _sheet(ws.title, kept, total)
        if sheet is not None:
            out.append(sheet)
    return out


def _csv(data: bytes) -> list[Sheet]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return []
    rows = [list(map(str.strip, r)) for r in csv.reader(io.StringIO(text))]
    sheet = _sheet("", rows)
    return [sheet] if sheet else []


@lru_cache(maxsize=256)
def _read(sha256: str, kind: str, name: str) -> tuple[Sheet, ...]:
    att = Attachment.objects.filter(sha256=sha256, kind=kind).first()
    if att is None:
        return ()
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
        return tuple(_xlsx(data) if kind == "xlsx" else _csv(data))
    except Exception:  # a damaged or odd file: the download link stays, the page just shows no table
        log.warning("cannot read spreadsheet %s for the entry page", name, exc_info=True)
        return ()


def tables_for(attachments: list[Attachment]) -> list[AttachmentTables]:
    """The readable tables of the public spreadsheet attachments, in attachment order."""
    out = []
    for att in attachments:
        if att.kind in KINDS:
            sheets = list(_read(att.sha256, att.kind, att.original_name))
            if sheets:
                out.append(AttachmentTables(att, sheets))
    return out
