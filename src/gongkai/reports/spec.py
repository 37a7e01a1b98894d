"""The national 2021 annual-report format (国办公开办函〔2021〕30号) as data: every label comes from here.

``data/annual-report-2021.json`` is a verbatim copy of ``shared/spec/annual-report-2021.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_FILE = Path(__file__).parent / "data" / "annual-report-2021.json"
FORMATS_FILE = Path(__file__).parent / "data" / "formats.yaml"


@dataclass(frozen=True)
class ReportFormat:
    """The national format in force for a report year (data/formats.yaml); ``reconstruction`` when the platform
    can only rebuild that year's report in the 2021 format, with ``note`` saying so in the report."""

    first: int | None
    last: int | None
    instrument: str
    reconstruction: bool
    note: str

    def covers(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.last is None or year <= self.last)


@cache
def formats() -> tuple[ReportFormat, ...]:
    raw = yaml.safe_load(FORMATS_FILE.read_text(encoding="utf-8"))
    rows = []
    for number, item in enumerate(raw["formats"], start=1):
        row = ReportFormat(
            first=item.get("from"),
            last=item.get("to"),
            instrument=str(item["instrument"]).strip(),
            reconstruction=bool(item["reconstruction"]),
            note=" ".join(str(item.get("note") or "").split()),
        )
        if row.reconstruction and not row.note:
            raise ValueError(f"{FORMATS_FILE.name} 第 {number} 条：reconstruction 为 true 时须写 note")
        rows.append(row)
    return tuple(rows)


def format_for(year: int) -> ReportFormat:
    """The format of the report year ``year`` (rows may not overlap: the first that covers it)."""
    for row in formats():
        if row.covers(year):
            return row
    raise ValueError(f"{FORMATS_FILE.name}：没有适用于 {year} 年度的格式")


@cache
def spec() -> dict[str, Any]:
    data = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def sections() -> list[str]:
    return list(spec()["sections"])


def table3_columns() -> list[tuple[str, str]]:
    return [(k, v) for k, v in spec()["table_3"]["columns"]]


def table3_rows() -> list[tuple[str, str]]:
    return [(k, v) for k, v in spec()["table_3"]["rows"]]


def table3_note() -> str:
    return str(spec()["table_3"]["note"])


def table2_blocks() -> list[dict[str, Any]]:
    return list(spec()["table_2"])


def table4_groups() -> list[tuple[str, str]]:
    return [(k, v) for k, v in spec()["table_4"]["groups"]]


def table4_columns() -> list[tuple[str, str]]:
    return [(k, v) for k, v in spec()["table_4"]["columns"]]


def column_keys() -> list[str]:
    return [k for k, _ in table3_columns()]


def row_keys() -> list[str]:
    return [k for k, _ in table3_rows()]


def result_keys() -> list[str]:
    """The 21 leaf result rows of 三 (予以公开 … 其他处理 3.其他), in table order."""
    keys = row_keys()
    return keys[keys.index("granted") : keys.index("total_handled")]


def column_label(key: str) -> str:
    return dict(table3_columns())[key]


def row_label(key: str) -> str:
    return dict(table3_rows())[key]


#: Channel keys of ``applications.by_channel`` with the labels the seeds use.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("online", "网上申请"),
    ("letter", "信函申请"),
    ("in_person", "当面申请"),
    ("service_window", "政务服务窗口"),
    ("fax", "传真申请"),
    ("email", "电子邮件"),
    ("other", "其他"),
)
