"""Rounding as the seeds print it: half-up (12.5 % → 13 %), with Decimal, never ``round()`` (banker's)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def half_up(value: Any, places: int = 0) -> Decimal:
    exp = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(exp, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> int:
    """Share of ``whole`` in whole percent, rounded half-up; 0 when ``whole`` is 0."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def one_decimal(value: Any) -> float:
    """A JSON number with at most one decimal (averages of working days)."""
    if value is None:
        return 0
    d = half_up(value, 1)
    return int(d) if d == d.to_integral_value() else float(d)
