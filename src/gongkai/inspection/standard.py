"""The 基层政务公开标准目录 (国办发〔2019〕54号, spec §3.4) as data: each 公开事项 with its elements, legal
basis, time limit, publisher, channels, audience and mode, mapped to catalog columns (``data/standard_items.yaml``).

Coverage (``due``): a periodic item (每月/每季度/每年) is due when nothing was published in its columns during
the last complete period or since — "每季度" with nothing since the start of the previous quarter. An item
limited to N working days from the information's formation depends on events the platform cannot see, so only
its last publication is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .definitions import ChecksDataError, Source

DATA_FILE = Path(__file__).resolve().parent / "data" / "standard_items.yaml"
PERIODS = {"月": 1, "季度": 3, "年": 12}
_FIELDS = {"area", "name", "content", "basis", "limit", "publisher", "channels", "audience", "mode", "columns"}


@dataclass(frozen=True)
class Item:
    area: str
    name: str
    content: str
    basis: str
    every: str  # 月 / 季度 / 年, or "" for a working-day limit
    workdays: int
    publisher: str
    channels: tuple[str, ...]
    audience: str
    mode: str
    columns: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.area}·{self.name}"

    @property
    def limit_text(self) -> str:
        return f"每{self.every}" if self.every else f"形成或变更之日起{self.workdays}个工作日内"

    def period_start(self, today: date) -> date | None:
        """The first day of the last complete period before ``today``'s (None for a working-day item)."""
        if not self.every:
            return None
        months = PERIODS[self.every]
        index = (today.year * 12 + today.month - 1) // months * months - months  # start of the previous period
        return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Catalog:
    source: Source
    items: tuple[Item, ...]


def _item(raw: Any, n: int) -> Item:
    if not isinstance(raw, Mapping):
        raise ChecksDataError(f"标准目录第{n}个事项：应为键值表")
    where = f"标准目录事项 {raw.get('area', '')}·{raw.get('name') or f'第{n}项'}"
    if missing := sorted(f for f in _FIELDS if not raw.get(f)):
        raise ChecksDataError(f"{where}：缺少 {'、'.join(missing)}")
    if unknown := sorted(set(raw) - _FIELDS):
        raise ChecksDataError(f"{where}：未知的字段 {'、'.join(unknown)}")
    limit = raw["limit"]
    every, workdays = "", 0
    if isinstance(limit, Mapping) and set(limit) == {"every"} and limit["every"] in PERIODS:
        every = str(limit["every"])
    elif isinstance(limit, Mapping) and set(limit) == {"workdays"} and isinstance(limit["workdays"], int):
        workdays = int(limit["workdays"])
    else:
        raise ChecksDataError(f"{where}：公开时限应写作 {{every: 月|季度|年}} 或 {{workdays: 工作日数}}")
    for key in ("channels", "columns"):
        if not isinstance(raw[key], list) or not all(isinstance(x, str) and x for x in raw[key]):
            raise ChecksDataError(f"{where}：{key} 应为文字列表")
    return Item(
        area=str(raw["area"]),
        name=str(raw["name"]),
        content=str(raw["content"]),
        basis=str(raw["basis"]),
        every=every,
        workdays=workdays,
        publisher=str(raw["publisher"]),
        channels=tuple(raw["channels"]),
        audience=str(raw["audience"]),
        mode=str(raw["mode"]),
        columns=tuple(raw["columns"]),
    )


def parse(data: Any) -> Catalog:
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise ChecksDataError("标准目录文件须有 items（公开事项）列表")
    src = data.get("source") or {}
    if not isinstance(src, Mapping) or not src.get("document") or not src.get("item"):
        raise ChecksDataError("标准目录文件须写明依据（source 的 document 和 item）")
    return Catalog(
        Source(str(src["document"]), str(src["item"]), True),
        tuple(_item(raw, n) for n, raw in enumerate(data["items"], start=1)),
    )


def by_key(key: str) -> Item | None:
    return next((i for i in catalog().items if i.key == key), None)


@cache
def catalog() -> Catalog:
    return parse(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))
