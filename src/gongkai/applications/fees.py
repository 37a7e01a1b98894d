"""信息处理费 (国办函〔2020〕109号, spec §1.5): per-item or per-page, both progressive, computed here.

Per item (按件), cumulative for the same applicant within one calendar month: items 1–10 free, 11–30
100 元 each, and from the 31st tiers of ten items, each tier 100 元 dearer (31–40 → 200, 41–50 → 300, …;
the spec marks this reading of "超额累进" as inferred). Per page (按量): 1–30 free, 31–100 10 元, 101–200
20 元, 201 and up 40 元 a page, each rate applying only to the pages in its band (120 pages → 1 100 元).

Every number here is a row of the rules table (``fee_*`` in ``rules/data/periods.yaml``), read for the day
the fee is computed, so a new fee measure is a new row there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gongkai import rules


@dataclass(frozen=True)
class FeeQuote:
    amount: Decimal
    breakdown: str


def _count(key: str, unit: str, on: date | None) -> int:
    return rules.get(key, on=on).amount(unit)


def free_items(on: date | None = None) -> int:
    """Items an applicant may file in one calendar month before any fee (10 件)."""
    return _count("fee_free_items", "件", on)


def item_rate(n: int, on: date | None = None) -> int:
    """Fee in 元 for the applicant's n-th item of the month."""
    if n <= free_items(on):
        return 0
    band_top = _count("fee_item_band_top", "件", on)
    rate = _count("fee_item_rate", "元", on)
    if n <= band_top:
        return rate
    step = _count("fee_item_step", "件", on)
    # 31–40 → one step dearer, 41–50 → two, …
    return rate + _count("fee_item_step_rate", "元", on) * (1 + (n - band_top - 1) // step)


def page_bands(on: date | None = None) -> tuple[tuple[int, int | None, int], ...]:
    """(first page, last page or None, 元 a page) for each band of the per-page fee."""
    free = _count("fee_free_pages", "页", on)
    top1 = _count("fee_page_band1_top", "页", on)
    top2 = _count("fee_page_band2_top", "页", on)
    return (
        (1, free, 0),
        (free + 1, top1, _count("fee_page_band1_rate", "元", on)),
        (top1 + 1, top2, _count("fee_page_band2_rate", "元", on)),
        (top2 + 1, None, _count("fee_page_band3_rate", "元", on)),
    )


def per_item(prior: int, count: int, on: date | None = None) -> FeeQuote:
    """Fee for ``count`` new items when the applicant already filed ``prior`` items this month."""
    if count < 1:
        raise ValueError("count must be ≥ 1")
    parts: list[str] = []
    total = 0
    n = prior + 1
    last = prior + count
    while n <= last:
        rate = item_rate(n, on)
        end = n
        while end + 1 <= last and item_rate(end + 1, on) == rate:
            end += 1
        k = end - n + 1
        total += k * rate
        span = f"第{n}件" if k == 1 else f"第{n}–{end}件"
        parts.append(f"{span}{'免费' if rate == 0 else f' {k}×{rate}={k * rate}元'}")
        n = end + 1
    return FeeQuote(Decimal(total), f"本月累计{'；'.join(parts)}；合计{total}元")


def per_page(pages: int, on: date | None = None) -> FeeQuote:
    """Fee for one application's ``pages``, each band's rate on the pages in that band."""
    if pages < 1:
        raise ValueError("pages must be ≥ 1")
    parts: list[str] = []
    total = 0
    for low, high, rate in page_bands(on):
        if pages < low:
            break
        top = pages if high is None else min(pages, high)
        k = top - low + 1
        total += k * rate
        parts.append(f"{low}–{top}页{'免费' if rate == 0 else f' {k}×{rate}={k * rate}元'}")
    return FeeQuote(Decimal(total), f"{'；'.join(parts)}；合计{total}元")
