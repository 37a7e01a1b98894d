"""Reads of messages: the submitter's view (number + code), the staff queue and its counts, the published
留言选登 (masked) and the statistics the 检查指标 (国办秘函〔2019〕19号) expect to be public."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai import rules
from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays

from . import access, clock, kinds, numbering
from .choices import ANSWERED_STATUSES, OPEN_STATUSES, EventKind, ReplyStatus, Satisfaction, Status
from .models import Message


def find_by_number(number: str, code: str) -> Message | None:
    number = "".join(str(number or "").split()).upper()[:40]
    message = Message.objects.select_related("unit", "office").filter(number=number).first()
    if message is None or not numbering.code_matches(message.number, code, message.query_code_hash):
        return None
    return message


def public_status(message: Message) -> dict[str, Any]:
    """What the submitter sees: status, dates, the reply once answered, the refusal and where to go."""
    sent = message.replies.filter(status=ReplyStatus.SENT).order_by("-round").first()
    answered = message.status in ANSWERED_STATUSES and sent is not None
    refusal = message.events.filter(kind=EventKind.REJECTED).last() if message.status == Status.REJECTED else None
    rating = message.ratings.order_by("-round").first()
    return {
        "number": message.number,
        "unit": message.unit.name,
        "kind": message.kind,
        "kind_label": kinds.label(message.kind),
        "title": message.title,
        "status": message.status,
        "status_label": message.get_status_display(),
        "received_on": message.received_on,
        "due_date": message.due_date,
        "replied_on": message.replied_on if answered else None,
        "reply": sent.text if answered and sent else None,
        "reply_office": sent.office.name if answered and sent else None,
        "rejected_reason": refusal.detail if refusal else None,
        "rejected_where": refusal.data.get("where") if refusal else None,
        "can_rate": message.status == Status.REPLIED,
        "rating": rating.get_value_display() if rating else None,
        "reopened": bool(message.reopened),
    }


def handled_messages(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(unit_id__in=access.handling_unit_ids(user)).select_related("unit", "office")


def due_soon_until(today: date | None = None) -> date | None:
    """The last due date that counts as 即将到期 (the platform's ``due_soon`` rule, in working days)."""
    today = today or timezone.localdate()
    try:
        return add_workdays(today, rules.get("due_soon").workdays)
    except CalendarNotLoaded:
        return None


def queue_filters(today: date | None = None) -> dict[str, Q]:
    today = today or timezone.localdate()
    open_q = Q(status__in=list(OPEN_STATUSES))
    soon = due_soon_until(today)
    return {
        "open": open_q,
        "received": Q(status=Status.RECEIVED),
        "reviewing": Q(status=Status.REVIEWING),
        "due_soon": open_q & Q(due_date__gte=today) & (Q(due_date__lte=soon) if soon else Q(pk__in=[])),
        "overdue": open_q & Q(due_date__lt=today),
    }


def queue_counts(qs: QuerySet[Message]) -> dict[str, int]:
    return {name: qs.filter(q).count() for name, q in queue_filters().items()}


def action_count(user: Any) -> int:
    """What the staff menu shows: messages waiting for this user (待受理 + 超期, and 待审核 for leaders)."""
    qs = handled_messages(user)
    q = queue_filters()
    leads = q["reviewing"] & Q(unit_id__in=access.leading_unit_ids(user))
    return qs.filter(q["received"] | q["overdue"] | leads).count()


def published(*, unit_code: str = "", kind: str = "", year: int | None = None) -> QuerySet[Message]:
    """留言选登: published messages only; callers show the ``public_*`` fields, never the originals."""
    qs = Message.objects.filter(published_on__isnull=False).select_related("unit")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-published_on", "-id")


def public_item(message: Message) -> dict[str, Any]:
    return {
        "number": message.number,
        "unit": message.unit.name,
        "kind": message.kind,
        "kind_label": kinds.label(message.kind),
        "title": message.public_title,
        "content": message.public_content,
        "name": message.public_name,
        "received_on": message.received_on,
        "replied_on": message.replied_on,
        "reply": message.public_reply,
        "office": message.public_office,
        "published_on": message.published_on,
    }


def statistics(unit_id: int, year: int) -> dict[str, Any]:
    """Received, answered, answered on time, average working days to reply and satisfaction, by month and
    for the year (the 留言办理 statistics the 检查指标 expect to be public)."""
    rows = list(
        Message.objects.filter(unit_id=unit_id, year=year).prefetch_related("events", "ratings").order_by("received_on")
    )
    months: dict[int, dict[str, Any]] = defaultdict(lambda: _empty())
    total = _empty()
    for m in rows:
        state = clock.compute(m, m.events.all())
        for bucket in (months[m.received_on.month], total):
            bucket["received"] += 1
            if state.replied_on:
                bucket["answered"] += 1
                if state.due_date and state.replied_on <= state.due_date:
                    bucket["on_time"] += 1
                taken = state.workdays_taken()
                if taken is not None:
                    bucket["_days"].append(taken)
            for r in m.ratings.all():
                bucket["rated"] += 1
                if r.value in (Satisfaction.SATISFIED, Satisfaction.BASIC):
                    bucket["satisfied"] += 1
    return {
        "year": year,
        "total": _finish(total),
        "months": [{"month": n, **_finish(months[n])} for n in sorted(months)],
    }


def _empty() -> dict[str, Any]:
    return {"received": 0, "answered": 0, "on_time": 0, "rated": 0, "satisfied": 0, "_days": []}


def _finish(bucket: dict[str, Any]) -> dict[str, Any]:
    days = bucket.pop("_days")
    out = dict(bucket)
    out["average_workdays"] = round(sum(days) / len(days), 1) if days else None
    out["satisfaction_rate"] = round(100 * bucket["satisfied"] / bucket["rated"], 1) if bucket["rated"] else None
    out["on_time_rate"] = round(100 * bucket["on_time"] / bucket["answered"], 1) if bucket["answered"] else None
    return out
