"""信息处理费 (国办函〔2020〕109号, spec §1.5): per-item or per-page, both progressive, computed here.

Per item (按件), cumulative for the same applicant within one calendar month: items 1–10 free, 11–30
100 元 each, and from the 31st tiers of ten items, each tier 100 元 dearer (31–40 → 200, 41–50 → 300, …;
the spec marks this reading of "超额累进" as inferred). Per page (按量): 1–30 free, 31–100 10 元, 101–200
20 元, 201 and up 40 元 a page, each rate applying only to the pages in its band (120 pages → 1 100 元).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FREE_ITEMS = 10
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))


@dataclass(frozen=True)
class FeeQuote:
    amount: Decimal
    breakdown: str


def item_rate(n: int) -> int:
    """Fee in 元 for the applicant's n-th item of the month."""
    if n <= FREE_ITEMS:
        return 0
    if n <= 30:
        return 100
    return 100 * (1 + (n - 21) // 10)  # 31–40 → 200, 41–50 → 300, …


def per_item(prior: int, count: int) -> FeeQuote:
    """Fee for ``count`` new items when the applicant already filed ``prior`` items this month."""
    if count < 1:
        raise ValueError("count must be ≥ 1")
    parts: list[str] = []
    total = 0
    n = prior + 1
    last = prior + count
    while n <= last:
        rate = item_rate(n)
        end = n
        while end + 1 <= last and item_rate(end + 1) == rate:
            end += 1
        k = end - n + 1
        total += k * rate
        span = f"第{n}件" if k == 1 else f"第{n}–{end}件"
        parts.append(f"{span}{'免费' if rate == 0 else f' {k}×{rate}={k * rate}元'}")
        n = end + 1
    return FeeQuote(Decimal(total), f"本月累计{'；'.join(parts)}；合计{total}元")


def per_page(pages: int) -> FeeQuote:
    if pages < 1:
        raise ValueError("pages must be ≥ 1")
    parts: list[str] = []
    total = 0
    for low, high, rate in PAGE_BANDS:
        if pages < low:
            break
        top = pages if high is None else min(pages, high)
        k = top - low + 1
        total += k * rate
        parts.append(f"{low}–{top}页{'免费' if rate == 0 else f' {k}×{rate}={k * rate}元'}")
    return FeeQuote(Decimal(total), f"{'；'.join(parts)}；合计{total}元")
