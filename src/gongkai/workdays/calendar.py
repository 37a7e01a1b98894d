"""The statutory working-day calendar.

Source: ``chinese-calendar`` (official holidays and 调休 make-up days, 2004–2026), with the
``CalendarOverride`` table on top (any date may be marked holiday or working day) and ``CalendarYear`` rows
for years whose notice an administrator imported. A date in a year neither source covers raises
``CalendarNotLoaded`` naming the year — never a silent weekday guess.

Counting follows Civil Code Art. 201: the start day is not counted; day N is the N-th working day after it.
"""

from __future__ import annotations

import bisect
import threading
import time
from datetime import date, timedelta

import chinese_calendar

from gongkai.core.errors import DomainError

from .models import CalendarOverride, CalendarYear

_CACHE_TTL_SECONDS = 60.0


class CalendarNotLoaded(DomainError):
    code = "calendar_not_loaded"

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年的法定节假日安排尚未导入（国务院办公厅通知发布后请用 "
            f"`gongkai workdays import` 导入），无法计算该年的工作日",
            field="date",
        )
        self.year = year


def official_years() -> range:
    """Years ``chinese-calendar`` covers."""
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return range(years[0], years[-1] + 1)


class _YearTable:
    """Sorted ordinals of the working days of one year, for bisect counting."""

    __slots__ = ("ordinals", "set")

    def __init__(self, workdays: list[int]) -> None:
        self.ordinals = workdays
        self.set = frozenset(workdays)


class WorkdayCalendar:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, _YearTable] = {}
        self._loaded_at = 0.0
        self._official = official_years()

    def invalidate(self) -> None:
        with self._lock:
            self._years.clear()
            self._loaded_at = 0.0

    def _table(self, year: int) -> _YearTable:
        now = time.monotonic()
        if now - self._loaded_at > _CACHE_TTL_SECONDS:
            # Another process may have changed the overrides: re-read them after the TTL.
            self.invalidate()
            self._loaded_at = now
        table = self._years.get(year)
        if table is None:
            table = self._build(year)
            with self._lock:
                self._years[year] = table
        return table

    def _build(self, year: int) -> _YearTable:

        overrides = dict(CalendarOverride.objects.filter(date__year=year).values_list("date", "is_workday"))
        official = year in self._official
        if not official and not CalendarYear.objects.filter(year=year).exists():
            raise CalendarNotLoaded(year)
        days: list[int] = []
        day = date(year, 1, 1)
        end = date(year, 12, 31)
        while day <= end:
            if day in overrides:
                work = overrides[day]
            elif official:
                work = chinese_calendar.is_workday(day)
            else:
                work = day.weekday() < 5
            if work:
                days.append(day.toordinal())
            day += timedelta(days=1)
        return _YearTable(days)

    def is_workday(self, day: date) -> bool:
        return day.toordinal() in self._table(day.year).set

    def add(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start not counted). ``n`` ≥ 1."""
        if n < 1:
            raise DomainError("工作日数必须是正整数", field="n")
        year = start.year
        remaining = n
        after = start.toordinal()
        while True:
            table = self._table(year)
            idx = bisect.bisect_right(table.ordinals, after)
            available = len(table.ordinals) - idx
            if remaining <= available:
                return date.fromordinal(table.ordinals[idx + remaining - 1])
            remaining -= available
            year += 1
            after = date(year, 1, 1).toordinal() - 1

    def count(self, start: date, end: date) -> int:
        """Working days d with start < d ≤ end (0 if end ≤ start)."""
        if end <= start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            table = self._table(year)
            lo = bisect.bisect_right(table.ordinals, start.toordinal())
            hi = bisect.bisect_right(table.ordinals, end.toordinal())
            total += hi - lo
        return total

    def covered(self, year: int) -> bool:
        try:
            self._table(year)
        except CalendarNotLoaded:
            return False
        return True


calendar = WorkdayCalendar()
is_workday = calendar.is_workday
add_workdays = calendar.add
count_workdays = calendar.count
