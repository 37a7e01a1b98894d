"""The message kinds (咨询, 建议, 投诉, 举报, 领导信箱, 12345热线工单) as data: ``data/kinds.yaml``.

Each kind carries its reply period in working days (counted on the statutory calendar of ``gongkai.workdays``),
whether its reply may be published, whether leader review (审核/签发) is required by default, and its source:
国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》 (互动回应差 is a veto item) and local practice for the
day counts, 国办发〔2020〕53号 for 12345 orders, whose period is the one the order carries. A unit may change
which kinds need review (``KindSetting``, set with ``services.set_review``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.core.errors import ValidationFailed

DATA = Path(__file__).with_name("data") / "kinds.yaml"
HOTLINE = "hotline"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    reply_days: int | None  # None: the period comes with the order (12345)
    publishable: bool
    review: bool
    source: str


@functools.cache
def all_kinds() -> dict[str, Kind]:
    """Every kind, in the file's order; the file is read and checked once per process."""
    rows = yaml.safe_load(DATA.read_text(encoding="utf-8"))["kinds"]
    out: dict[str, Kind] = {}
    for row in rows:
        days = row.get("reply_days")
        if days is not None and (not isinstance(days, int) or days < 1):
            raise ValueError(f"kinds.yaml: {row['key']} 的 reply_days 应为正整数或留空")
        if not row.get("source"):
            raise ValueError(f"kinds.yaml: {row['key']} 缺少来源（source）")
        out[row["key"]] = Kind(
            key=row["key"],
            label=row["label"],
            reply_days=days,
            publishable=bool(row["publishable"]),
            review=bool(row["review"]),
            source=row["source"],
        )
    return out


@functools.cache
def duplicate_window_hours() -> int:
    """How long the same content to the same unit is refused as a duplicate (a platform rule, data/kinds.yaml)."""
    return int(yaml.safe_load(DATA.read_text(encoding="utf-8"))["duplicate_window_hours"])


def get(key: str) -> Kind:
    try:
        return all_kinds()[key]
    except KeyError:
        raise ValidationFailed({"kind": ["请选择留言类型（咨询、建议、投诉、举报、领导信箱等）"]}) from None


def choices(*, public: bool = False) -> list[tuple[str, str]]:
    """(key, label) pairs; the public form leaves out 12345 orders (they come from the county platform)."""
    return [(k.key, k.label) for k in all_kinds().values() if not (public and k.key == HOTLINE)]


def label(key: str) -> str:
    kind = all_kinds().get(key)
    return kind.label if kind else key
