"""《条例》 Art. 26: publish within the publication period (rule ``publication``) of the date the
information was formed or changed; the staff dashboard warns from the platform's ``publication_warning``
threshold on."""

from __future__ import annotations

from datetime import date

from gongkai import rules
from gongkai.workdays.calendar import CalendarNotLoaded, count_workdays


def lag_workdays(formed: date, published: date) -> int | None:
    """Working days after the formed date up to and including publication; None if the calendar is missing."""
    try:
        return count_workdays(formed, published)
    except CalendarNotLoaded:
        return None


def is_late(elapsed: int | None) -> bool:
    """Past the Art. 26 period (an unknown lag is not late: the calendar, not the officer, is missing)."""
    return elapsed is not None and elapsed > rules.get("publication").workdays


def state(elapsed: int | None) -> str:
    if elapsed is None:
        return "unknown"
    if is_late(elapsed):
        return "overdue"
    if elapsed >= rules.get("publication_warning").workdays:
        return "warning"
    return "ok"
