"""保管期限 of archived items, read from ``data/retention.yaml`` (国家档案局令第8号; see the file's header).

Entries take the period of their category's slug, walking up to the parent categories for a unit's own
sub-columns, then the file's ``default``; annual reports and application case files take theirs from
``kinds``. The period is written into each package's manifest, so a later change of the file does not alter
what was handed over.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RETENTION_FILE = Path(__file__).parent / "data" / "retention.yaml"


@dataclass(frozen=True)
class Retention:
    source: str
    periods: tuple[str, ...]
    default: str
    kinds: dict[str, str]
    categories: dict[str, str]

    def for_kind(self, kind: str) -> str:
        return self.kinds.get(kind, self.default)

    def for_slugs(self, slugs: list[str]) -> str:
        """The period of the first slug that has one: the category itself first, then its ancestors."""
        for slug in slugs:
            if slug in self.categories:
                return self.categories[slug]
        return self.default


def parse(data: Any) -> Retention:
    if not isinstance(data, dict):
        raise ValueError("保管期限文件格式不正确：应为键值表")
    periods = tuple(str(p) for p in data.get("periods") or ())
    default = str(data.get("default") or "")
    kinds = {str(k): str(v) for k, v in (data.get("kinds") or {}).items()}
    categories = {str(k): str(v) for k, v in (data.get("categories") or {}).items()}
    for where, value in [("default", default), *kinds.items(), *categories.items()]:
        if value not in periods:
            raise ValueError(f"保管期限文件中 {where} 的期限“{value}”不在 periods（{'、'.join(periods)}）之中")
    return Retention(str(data.get("source") or ""), periods, default, kinds, categories)


@functools.cache
def load(path: Path = RETENTION_FILE) -> Retention:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))
