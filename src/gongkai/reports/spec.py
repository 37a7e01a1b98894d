"""The national 2021 annual-report format (国办公开办函〔2021〕30号) as data: every label comes from here.

``data/annual-report-2021.json`` is a verbatim copy of ``shared/spec/annual-report-2021.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).parent / "data" / "annual-report-2021.json"


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
