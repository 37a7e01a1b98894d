"""The reply clock of a message, computed purely from its ``MessageEvent`` ledger.

The period runs from the day after the message was received (the receipt day is not counted, as for
applications: Civil Code Art. 201) for the kind's ``reply_days`` working days on the statutory calendar
(``gongkai.workdays``, 调休 included); a 12345 order carries its own deadline (国办发〔2020〕53号). A 重办 after
a 不满意 rating starts a new round: the period runs again from the day it was reopened. Nothing here writes but
``refresh``, which copies the result into the cache columns of ``Message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays, count_workdays

from . import kinds
from .choices import OPEN_STATUSES, EventKind
from .models import Message, MessageEvent

_STARTS = (EventKind.RECEIVED, EventKind.REOPENED)


@dataclass(frozen=True)
class ClockState:
    start: date
    due_date: date | None
    replied_on: date | None
    warning: str = ""

    def overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.due_date is not None and (self.replied_on or today) > self.due_date

    def workdays_taken(self) -> int | None:
        """Working days from receipt to the reply (receipt day not counted), or None while unanswered."""
        if self.replied_on is None:
            return None
        try:
            return count_workdays(self.start, self.replied_on)
        except CalendarNotLoaded:
            return None


def compute(message: Message, events: Iterable[MessageEvent] | None = None) -> ClockState:
    rows = list(events if events is not None else message.events.all())
    # The current round begins at the last 收到 or 重办 in ledger order (a reopening and a reply can share a day).
    begin = max((i for i, e in enumerate(rows) if e.kind in _STARTS), default=0)
    start = rows[begin].on if rows else message.received_on
    replied = [e.on for e in rows[begin:] if e.kind == EventKind.REPLIED]
    replied_on = replied[-1] if replied else None
    kind = kinds.get(message.kind)
    if kind.reply_days is None:
        return ClockState(start=start, due_date=message.external_deadline, replied_on=replied_on)
    try:
        due = add_workdays(start, kind.reply_days)
    except CalendarNotLoaded as exc:
        return ClockState(start=start, due_date=None, replied_on=replied_on, warning=exc.message)
    return ClockState(start=start, due_date=due, replied_on=replied_on)


def refresh(message: Message) -> ClockState:
    state = compute(message)
    if (message.due_date, message.replied_on) != (state.due_date, state.replied_on):
        message.due_date, message.replied_on = state.due_date, state.replied_on
        message.save(update_fields=["due_date", "replied_on"])
    return state


def recompute_open() -> int:
    """After a calendar change: rewrite the due date of every unanswered message; returns how many changed."""
    changed = 0
    for message in Message.objects.filter(status__in=list(OPEN_STATUSES)).prefetch_related("events"):
        before = message.due_date
        if refresh(message).due_date != before:
            changed += 1
    return changed
