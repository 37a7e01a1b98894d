"""Statutory periods and thresholds, read once per process from ``data/periods.yaml``.

Every period the platform counts or prints is one row of that file, with its legal source and the dates on
which it applies: the answer period and its extension (《政府信息公开条例》 Art. 33), the 补正 window
(Art. 30), the consultation periods (Arts. 32 and 34), the publication limit (Art. 26), the fee payment
period (国办函〔2020〕109号), the website freshness indicators (国办秘函〔2019〕19号) and the appeal periods a
reply letter names (行政复议法, 行政诉讼法), plus the platform's own warning thresholds, marked
``statutory: false``.

A change of the law is a new row, never an edited one: ``get("answer", on=day)`` returns the row in force
on ``day`` (today when omitted), so a report on a past period can ask for the rule of that period.

This is the ground floor: it imports the standard library, Django and PyYAML, never another gongkai app.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils import timezone

DATA_FILE = Path(__file__).resolve().parent / "data" / "periods.yaml"

#: The word printed after the number, with its measure word: 20个工作日, 2周, 6个月, 60日.
UNIT_WORDS: dict[str, str] = {
    "工作日": "个工作日",
    "自然日": "日",
    "周": "周",
    "月": "个月",
    "次": "次",
    "个": "个",
    "件": "件",
    "页": "页",
    "元": "元",
}

#: A day of the year (a deadline such as 1月31日): written ``value: "01-31"`` in the data file.
YEARLY_DATE = "每年日期"

_FIELDS = {
    "key",
    "name",
    "value",
    "unit",
    "instrument",
    "article",
    "quote",
    "valid_from",
    "valid_to",
    "statutory",
    "note",
}
_REQUIRED = _FIELDS - {"note"}
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_DIGITS = "零一二三四五六七八九"


class UnknownRule(LookupError):
    """No rule of that key exists in the data file (a typo in the code or a template)."""


class RuleNotInForce(LookupError):
    """The rule exists, but none of its rows applies on the day asked for."""


class RulesDataError(ValueError):
    """The data file is malformed, or a rule is used in a unit it is not counted in."""


def chinese_number(n: int) -> str:
    """1–9999 in Chinese counting form: 7 → 七, 15 → 十五, 20 → 二十, 60 → 六十, 101 → 一百零一."""
    if not 0 < n < 10000:
        raise ValueError(f"{n} is outside 1–9999")
    if n < 20:
        return ("十" if n >= 10 else "") + (_DIGITS[n % 10] if n % 10 or n < 10 else "")
    out, gap = "", False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // size % 10
        if digit:
            out += ("零" if gap else "") + _DIGITS[digit] + name
            gap = False
        elif out:
            gap = True
    return out


@dataclass(frozen=True)
class Period:
    """One statutory period or threshold as it applies between ``valid_from`` and ``valid_to`` (both included;
    ``None`` = unbounded)."""

    key: str
    name: str
    value: int
    unit: str
    instrument: str
    article: str
    quote: str
    valid_from: date | None
    valid_to: date | None
    statutory: bool
    note: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Number and unit run together — 20个工作日, 2周, 6个月, 10件, 1月31日 — as headings, tiles and letters
        print them."""
        if self.unit == YEARLY_DATE:
            month, day = self.month_day
            return f"{month}月{day}日"
        return f"{self.value}{UNIT_WORDS[self.unit]}"

    @property
    def spaced(self) -> str:
        """Number set apart — 20 个工作日 — as running text on the staff pages and the guide prints it."""
        if self.unit == YEARLY_DATE:
            month, day = self.month_day
            return f"{month} 月 {day} 日"
        return f"{self.value} {UNIT_WORDS[self.unit]}"

    @property
    def chinese(self) -> str:
        """Chinese numerals — 两周, 六个月, 六十日 — as legal wording (答复书 救济途径, 通报) prints them."""
        if self.unit == YEARLY_DATE:
            month, day = self.month_day
            return f"{chinese_number(month)}月{chinese_number(day)}日"
        number = "两" if self.value == 2 else chinese_number(self.value)
        return f"{number}{UNIT_WORDS[self.unit]}"

    @property
    def month_day(self) -> tuple[int, int]:
        """(month, day) of a yearly date rule, stored as month × 100 + day (0131 → (1, 31))."""
        if self.unit != YEARLY_DATE:
            raise RulesDataError(f"规则 {self.key} 以“{self.unit}”计，不是每年的日期")
        return divmod(self.value, 100)

    def date_in(self, year: int) -> date:
        """The yearly date rule's day in ``year``: ``get("report_government").date_in(2026)`` → 2026-03-31."""
        month, day = self.month_day
        return date(year, month, day)

    def amount(self, unit: str) -> int:
        """The value of a count or amount rule (件, 页, 元); refuses a rule counted in another unit."""
        if self.unit != unit:
            raise RulesDataError(f"规则 {self.key} 以“{self.unit}”计，不是{unit}")
        return self.value

    @property
    def source(self) -> str:
        """Instrument and article, e.g. 《中华人民共和国政府信息公开条例》（国务院令第711号）第三十三条第二款."""
        return f"{self.instrument}{self.article}"

    @property
    def workdays(self) -> int:
        """The value for a working-day count; refuses a rule counted in another unit, so that a change of
        unit in the data file cannot be silently counted as working days."""
        if self.unit != "工作日":
            raise RulesDataError(f"规则 {self.key} 以“{self.unit}”计，不是工作日")
        return self.value

    @property
    def calendar_days(self) -> int:
        """The value in calendar days: weeks × 7; a month is 365.25 / 12 days rounded up (6个月 → 183 天),
        the reading the county bulletin has always used for 国办秘函〔2019〕19号's six-month indicator."""
        if self.unit == "自然日":
            return self.value
        if self.unit == "周":
            return 7 * self.value
        if self.unit == "月":
            return -(-self.value * 1461 // 48)  # ceil(value × 365.25 / 12) in integers
        raise RulesDataError(f"规则 {self.key} 以“{self.unit}”计，不能换算为自然日")

    def applies_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class PeriodTable:
    """All rows of one data file, by key and in date order; no two rows of a key overlap."""

    def __init__(self, rows: Iterable[Period]) -> None:
        by_key: dict[str, list[Period]] = {}
        for row in rows:
            by_key.setdefault(row.key, []).append(row)
        self._rows: dict[str, tuple[Period, ...]] = {}
        for key, items in by_key.items():
            items.sort(key=lambda p: p.valid_from or date.min)
            for earlier, later in itertools.pairwise(items):
                if earlier.valid_to is None or later.valid_from is None or earlier.valid_to >= later.valid_from:
                    raise RulesDataError(
                        f"规则 {key} 的适用期间重叠：{_span(earlier)} 与 {_span(later)}"
                        "（旧行须填写 valid_to，且早于新行的 valid_from）"
                    )
            self._rows[key] = tuple(items)

    def __iter__(self) -> Iterator[Period]:
        for items in self._rows.values():
            yield from items

    def keys(self) -> tuple[str, ...]:
        return tuple(self._rows)

    def history(self, key: str) -> tuple[Period, ...]:
        """Every row of ``key``, oldest first."""
        try:
            return self._rows[key]
        except KeyError:
            raise UnknownRule(f"没有名为 {key!r} 的期限规则（见 {DATA_FILE.name}）") from None

    def get(self, key: str, on: date | None = None) -> Period:
        """The row of ``key`` in force on ``on`` (today, in the site's time zone, when omitted)."""
        day = on or _today()
        for period in self.history(key):
            if period.applies_on(day):
                return period
        raise RuleNotInForce(f"规则 {key} 在 {day.isoformat()} 没有适用的取值")


def _span(p: Period) -> str:
    return f"{p.valid_from or '…'}–{p.valid_to or '…'}"


def _today() -> date:
    return timezone.localdate() if settings.USE_TZ else date.today()


def _date(where: str, name: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        raise RulesDataError(f"{where}：{name} 只填日期，不带时间")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RulesDataError(f"{where}：{name} 应为 YYYY-MM-DD，而不是 {value!r}") from None


def _text(where: str, raw: dict[str, Any], name: str, *, blank: bool = False) -> str:
    value = raw.get(name)
    if value is None and blank:
        return ""
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise RulesDataError(f"{where}：{name} 须为{'文字' if blank else '非空文字'}")
    return value.strip()


def _month_day(where: str, value: Any) -> int:
    """``"01-31"`` → 131 (a day that exists in every year: 02-29 is refused)."""
    match = re.fullmatch(r"(\d\d)-(\d\d)", value) if isinstance(value, str) else None
    if match:
        month, day = int(match[1]), int(match[2])
        try:
            date(2001, month, day)  # not a leap year: a deadline must exist every year
        except ValueError:
            pass
        else:
            return month * 100 + day
    raise RulesDataError(f'{where}：{YEARLY_DATE}的 value 应写作带引号的 "MM-DD"（如 "01-31"），而不是 {value!r}')


def _row(path: Path, number: int, raw: Any) -> Period:
    where = f"{path.name} 第 {number} 条"
    if not isinstance(raw, dict):
        raise RulesDataError(f"{where}：应为键值对")
    missing, unknown = _REQUIRED - raw.keys(), raw.keys() - _FIELDS
    if missing or unknown:
        raise RulesDataError(f"{where}：缺少 {sorted(missing)}，多出 {sorted(unknown)}")
    key = raw["key"]
    if not isinstance(key, str) or not _KEY.match(key):
        raise RulesDataError(f"{where}：key 应为小写英文、数字和下划线")
    where = f"{where}（{key}）"
    value = raw["value"]
    if raw["unit"] == YEARLY_DATE:
        value = _month_day(where, value)
    elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RulesDataError(f"{where}：value 应为正整数")
    if raw["unit"] not in UNIT_WORDS and raw["unit"] != YEARLY_DATE:
        raise RulesDataError(f"{where}：unit 应为 {'、'.join([*UNIT_WORDS, YEARLY_DATE])} 之一")
    if not isinstance(raw["statutory"], bool):
        raise RulesDataError(f"{where}：statutory 应为 true 或 false")
    valid_from = _date(where, "valid_from", raw["valid_from"])
    valid_to = _date(where, "valid_to", raw["valid_to"])
    if valid_from and valid_to and valid_to < valid_from:
        raise RulesDataError(f"{where}：valid_to 早于 valid_from")
    return Period(
        key=key,
        name=_text(where, raw, "name"),
        value=value,
        unit=raw["unit"],
        instrument=_text(where, raw, "instrument"),
        article=_text(where, raw, "article", blank=True),
        quote=_text(where, raw, "quote"),
        valid_from=valid_from,
        valid_to=valid_to,
        statutory=raw["statutory"],
        note=_text(where, raw, "note", blank=True),
    )


def read(path: Path = DATA_FILE) -> PeriodTable:
    """Parse and check a data file (every row complete, no overlapping rows of one key)."""
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date YAML recognises but cannot build (2019-13-01)
        raise RulesDataError(f"{path.name}：无法解析（{exc}）") from exc
    rows = doc.get("periods") if isinstance(doc, dict) else None
    if not isinstance(rows, list) or not rows:
        raise RulesDataError(f"{path.name}：缺少 periods 列表")
    return PeriodTable(_row(path, number, raw) for number, raw in enumerate(rows, 1))


@cache
def table() -> PeriodTable:
    """The platform's table, read on first use and kept for the life of the process."""
    return read()


def get(key: str, on: date | None = None) -> Period:
    """The period ``key`` in force on ``on`` (default today); raises ``UnknownRule`` / ``RuleNotInForce``."""
    return table().get(key, on)
