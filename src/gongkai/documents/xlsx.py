"""openpyxl workbooks to bytes, under the same rule as PDF and DOCX: never inside a transaction; and with no text
cell that a spreadsheet program would run as a formula (``core.cells``)."""

from __future__ import annotations

import io
from typing import Any

from gongkai.core.cells import safe_cell

from .guard import forbid_in_transaction


def neutralise(workbook: Any) -> Any:
    """Every text cell of every sheet through ``safe_cell`` (in place; formulas the platform writes: none)."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    safe = safe_cell(cell.value)
                    if safe is not cell.value:
                        cell.value = safe
    return workbook


def workbook_bytes(workbook: Any) -> bytes:
    forbid_in_transaction("writing an XLSX")
    buffer = io.BytesIO()
    neutralise(workbook).save(buffer)
    return buffer.getvalue()
