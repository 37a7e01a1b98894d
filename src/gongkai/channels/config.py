"""The channels' periods and limits as data (``data/channels.yaml``), each with its source.

Read once per process; a malformed file fails loudly at the first use, never silently with a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "channels.yaml"
KEYS = ("board_posting", "led_notice", "photo_max_bytes", "photo_max_pixels", "gazette_max_entries")


@dataclass(frozen=True)
class Setting:
    key: str
    name: str
    value: int
    unit: str
    source: str
    quote: str
    statutory: bool


@cache
def _all() -> dict[str, Setting]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = {}
    for key in KEYS:
        row = raw[key]
        if not row.get("source") or not isinstance(row.get("value"), int):
            raise ValueError(f"channels.yaml: {key} needs an integer value and a source")
        out[key] = Setting(key=key, **{f: row[f] for f in ("name", "value", "unit", "source", "quote", "statutory")})
    return out


def get(key: str) -> Setting:
    return _all()[key]
