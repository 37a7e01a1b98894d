"""Art. 26: publish within 20 working days of the date the information was formed or changed."""

from __future__ import annotations

from datetime import date

from gongkai.workdays.calendar import CalendarNotLoaded, count_workdays

LIMIT_WORKDAYS = 20
WARN_WORKDAYS = 15


def lag_workdays(formed: date, published: date) -> int | None:
    """Working days after the formed date up to and including publication; None if the calendar is missing."""
    try:
        return count_workdays(formed, published)
    except CalendarNotLoaded:
        return None


def state(elapsed: int | None) -> str:
    if elapsed is None:
        return "unknown"
    if elapsed > LIMIT_WORKDAYS:
        return "overdue"
    if elapsed >= WARN_WORKDAYS:
        return "warning"
    return "ok"
