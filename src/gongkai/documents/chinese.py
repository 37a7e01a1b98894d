"""Chinese forms of dates and numbers as official documents print them."""

from __future__ import annotations

from datetime import date

_DIGITS = "〇一二三四五六七八九"


def year_digits(year: int) -> str:
    """2025 → 二〇二五 (digit by digit, as on the 成文日期 of an official document)."""
    return "".join(_DIGITS[int(d)] for d in str(year))


def small_number(n: int) -> str:
    """1–99 in Chinese counting form: 10 → 十, 11 → 十一, 20 → 二十, 31 → 三十一."""
    if not 0 < n < 100:
        raise ValueError("only 1–99")
    tens, ones = divmod(n, 10)
    out = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return out + (_DIGITS[ones] if ones else "")


def chinese_date(day: date) -> str:
    """2025-10-11 → 二〇二五年十月十一日 (GB/T 9704 成文日期)."""
    return f"{year_digits(day.year)}年{small_number(day.month)}月{small_number(day.day)}日"


def arabic_date(day: date) -> str:
    """2025-10-11 → 2025年10月11日 (the form GB/T 9704-2012 also allows, used in running text)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(prefix: str, year: int, serial: int) -> str:
    """发文字号: 东政公开告〔2025〕7号 — six-sided brackets, no leading zeros, as GB/T 9704 requires."""
    return f"{prefix}〔{year}〕{serial}号"
