"""openpyxl workbooks to bytes, under the same rule as PDF and DOCX: never inside a transaction."""

from __future__ import annotations

import io
from typing import Any

from .guard import forbid_in_transaction


def workbook_bytes(workbook: Any) -> bytes:
    forbid_in_transaction("writing an XLSX")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
