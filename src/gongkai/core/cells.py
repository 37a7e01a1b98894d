"""Spreadsheet cells that cannot run: every CSV and XLSX the platform writes passes its text cells through here.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and WPS as a
formula (CSV injection, OWASP): an anonymous visitor who types ``=HYPERLINK("http://…","点这里")`` as a login name
would otherwise land it in the auditor's export. Such text gets a leading apostrophe, which spreadsheet programs
show as text and do not display. Plain numbers (``-5``, ``+86``, ``-0.5``) are left alone: they are not formulas,
and a 低保 list's negative adjustment must stay a number. Non-text values (int, Decimal, date) pass unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """A ``csv.writer`` whose every row goes through ``safe_row``."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))
