"""The statutory clock, computed purely from a case's ledger of ``ClockEvent`` rows.

Rules (spec §1.3, §1.5, §1.7; the periods themselves are rows of ``gongkai.rules``): the answer period runs
from the day after receipt (《条例》 Art. 33(2); receipt day not counted, Civil Code Art. 201); a 补正
request must go out within the Art. 30 window after receipt, and the answer period restarts from the day
the corrected application arrives (Art. 30); consultation of a third party or another agency is not counted
(Art. 33(3)) and has its own period (Art. 32 for a third party, Art. 34 for another agency); an extension
approved by the office head and notified to the applicant adds at most the Art. 33(2) maximum; the time
between a fee notice and payment is not counted (国办函〔2020〕109号, configurable with
``GONGKAI_FEE_PAUSES_CLOCK`` because spec §7 marks it unconfirmed), and the applicant has the fee payment
period from the day after receiving the notice to pay.

Nothing here writes: ``compute`` returns the state and a human explanation; ``refresh`` copies the state
into the cache columns of ``Application``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone

from gongkai import rules
from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays, count_workdays

from .choices import OPEN_STATUSES, RECEIPT_RULE, ConsultationParty, EventKind, Status
from .models import Application, ClockEvent

T = TypeVar("T")

#: Which period the consulted party has to answer in: a third party (Art. 32) or another agency (Art. 34).
CONSULTATION_RULE: dict[str, str] = {
    ConsultationParty.THIRD_PARTY: "consultation",
    ConsultationParty.OTHER_AGENCY: "consultation_agency",
}


def consultation_rule(party: str) -> rules.Period:
    """The consultation period for ``party``; an unrecorded party is treated as a third party (Art. 32)."""
    return rules.get(CONSULTATION_RULE.get(party, "consultation"))


def fee_pauses_clock() -> bool:
    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", True))


@dataclass
class Line:
    """One event of the ledger as the case page explains it."""

    on: date
    kind: str
    label: str
    text: str
    counted: int | None = None  # working days counted up to this event since the clock (re)started
    paused: int | None = None  # working days this event ends a pause for
    added: int | None = None  # working days added (extension)


@dataclass
class ClockState:
    status: str = Status.PENDING
    received_on: date | None = None
    base_on: date | None = None  # the day the current answer period starts after (receipt or correction)
    extension_days: int = 0
    paused_days: int = 0  # closed pauses since base_on
    pause_started: date | None = None  # an open consultation or fee pause
    pause_kind: str = ""
    due_date: date | None = None
    closed_on: date | None = None
    replied_late: bool = False
    correction_request_by: date | None = None
    correction_requested: bool = False
    correction_due: date | None = None
    consultation_due: date | None = None
    consultation_period: rules.Period | None = None  # the period of the open consultation (Art. 32 or 34)
    fee_payment_due: date | None = None
    warning: str = ""
    lines: list[Line] = field(default_factory=list)
    today: date | None = None

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.REPLIED, Status.TRANSFERRED)

    def open_pause_days(self, as_of: date) -> int:
        if self.pause_started is None:
            return 0
        return _safe(self, lambda: count_workdays(self.pause_started, as_of)) or 0  # type: ignore[arg-type]

    def used_days(self, as_of: date | None = None) -> int | None:
        """Working days counted against the limit so far (paused days excluded)."""
        as_of = as_of or self.closed_on or self.today or timezone.localdate()
        if self.base_on is None or self.status == Status.AWAITING_CORRECTION:
            return None
        total = _safe(self, lambda: count_workdays(self.base_on, as_of))  # type: ignore[arg-type]
        if total is None:
            return None
        return max(0, total - self.paused_days - self.open_pause_days(as_of))

    def remaining_days(self, as_of: date | None = None) -> int | None:
        """Working days left until the due date; negative when overdue."""
        as_of = as_of or self.today or timezone.localdate()
        if self.due_date is None or self.is_closed:
            return None
        if self.due_date >= as_of:
            return _safe(self, lambda: count_workdays(as_of, self.due_date))  # type: ignore[arg-type]
        late = _safe(self, lambda: count_workdays(self.due_date, as_of))  # type: ignore[arg-type]
        return None if late is None else -late

    @property
    def limit_days(self) -> int:
        return rules.get("answer").workdays + self.extension_days


def _safe(state: ClockState, fn: Callable[[], T]) -> T | None:
    """Run a calendar computation; a year without an official notice becomes a warning, never a guess."""
    try:
        return fn()
    except CalendarNotLoaded as exc:
        state.warning = exc.message
        return None


def _d(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（日历未导入，无法计算）"


def compute(application: Application, events: Iterable[ClockEvent], today: date | None = None) -> ClockState:
    s = ClockState(today=today or timezone.localdate())
    pauses_fee = fee_pauses_clock()
    answer, correction_window = rules.get("answer"), rules.get("correction_request")

    def line(ev: ClockEvent, text: str, **nums: int | None) -> None:
        s.lines.append(Line(ev.on, ev.kind, ev.get_kind_display(), text, **nums))

    def counted_until(day: date) -> int | None:
        if s.base_on is None:
            return None
        total = _safe(s, lambda: count_workdays(s.base_on, day))  # type: ignore[arg-type]
        return None if total is None else max(0, total - s.paused_days)

    def close_pause(ev: ClockEvent) -> int | None:
        if s.pause_started is None:
            return None
        start = s.pause_started
        days = _safe(s, lambda: count_workdays(start, ev.on))
        s.paused_days += days or 0
        s.pause_started, s.pause_kind = None, ""
        return days

    for ev in events:
        kind = ev.kind
        if kind == EventKind.SUBMITTED:
            line(ev, f"申请人通过“{application.get_channel_display()}”提交申请，待工作人员与申请人确认收到。")
        elif kind == EventKind.RECEIVED:
            s.received_on = s.base_on = ev.on
            s.status = Status.IN_PROGRESS
            s.paused_days = s.extension_days = 0
            s.correction_request_by = _safe(s, partial(add_workdays, ev.on, correction_window.workdays))
            rule = RECEIPT_RULE.get(application.channel, "")
            line(
                ev,
                f"{rule}。答复期限为自次日起 {answer.spaced}；如需补正，应在 "
                f"{_d(s.correction_request_by)} 前（{correction_window.spaced}内）一次性告知。",
            )
        elif kind == EventKind.CORRECTION_REQUESTED:
            n = counted_until(ev.on)
            s.status = Status.AWAITING_CORRECTION
            s.correction_requested = True
            due = ev.data.get("due")
            s.correction_due = date.fromisoformat(due) if due else None
            line(
                ev,
                f"收到申请后第 {n} 个工作日发出补正通知，补正期限 {_d(s.correction_due)}。"
                f"等待补正期间答复期限不再计算，收到补正后重新起算 {answer.spaced}。",
                counted=n,
            )
        elif kind == EventKind.CORRECTION_RECEIVED:
            s.base_on = ev.on
            s.paused_days = 0
            s.status = Status.IN_PROGRESS
            line(ev, f"收到补正后的申请，答复期限自次日起重新计算 {answer.spaced}（第三十条）。")
        elif kind == EventKind.CONSULTATION_STARTED:
            n = counted_until(ev.on)
            s.pause_started, s.pause_kind = ev.on, kind
            s.status = Status.IN_CONSULTATION
            s.consultation_period = consultation_rule(ev.party)
            s.consultation_due = _safe(s, partial(add_workdays, ev.on, s.consultation_period.workdays))
            who = ConsultationParty(ev.party).label if ev.party else "第三方"
            line(
                ev,
                f"书面征求{who}意见（{ev.detail or '未注明对象'}），此前已计 {n} 个工作日；征求意见期间"
                f"不计入答复期限，对方应在 {_d(s.consultation_due)} 前（{s.consultation_period.spaced}内）"
                "提出意见，逾期未提出的由本机关依法决定。",
                counted=n,
            )
        elif kind == EventKind.CONSULTATION_ENDED:
            days = close_pause(ev)
            s.status = Status.IN_PROGRESS
            line(
                ev,
                f"征求意见结束（{ev.detail or '已收到意见'}），暂停 {days} 个工作日，不计入答复期限，"
                "从次日起继续计算。",
                paused=days,
            )
        elif kind == EventKind.FEE_NOTICE:
            n = counted_until(ev.on)
            delivered = date.fromisoformat(ev.data["delivered_on"]) if ev.data.get("delivered_on") else ev.on
            fee_period = rules.get("fee_payment")
            s.fee_payment_due = _safe(s, partial(add_workdays, delivered, fee_period.workdays))
            s.status = Status.AWAITING_FEE
            pause_text = ""
            if pauses_fee:
                s.pause_started, s.pause_kind = ev.on, kind
                pause_text = "自发出收费通知至缴费之日不计入答复期限；"
            line(
                ev,
                f"发出收费通知，金额 {ev.data.get('amount', '')} 元，此前已计 {n} 个工作日；{pause_text}"
                f"申请人应在 {_d(s.fee_payment_due)} 前（收到通知次日起 {fee_period.spaced}内）缴费，"
                "逾期视为放弃申请。",
                counted=n,
            )
        elif kind == EventKind.FEE_PAID:
            days = close_pause(ev) if pauses_fee else None
            s.status = Status.IN_PROGRESS
            s.fee_payment_due = None
            text = "申请人已缴纳信息处理费" + (f"，暂停 {days} 个工作日，从次日起继续计算。" if pauses_fee else "。")
            line(ev, text, paused=days)
        elif kind == EventKind.EXTENSION:
            s.extension_days += ev.days or 0
            approver = ev.data.get("approved_by_name", "")
            notified = ev.data.get("notified_on", "")
            line(
                ev,
                f"经工作机构负责人{approver}同意，答复期限延长 {ev.days} 个工作日（累计延长 "
                f"{s.extension_days} 个，最多 {rules.get('extension').workdays} 个），已于 {notified} 告知申请人"
                f"（第三十三条第二款）。{ev.detail}",
                added=ev.days,
            )
        elif kind == EventKind.REPLIED:
            if s.pause_started is not None:
                close_pause(ev)
            n = counted_until(ev.on)
            due = _due(s)
            s.status, s.closed_on, s.due_date = Status.REPLIED, ev.on, due
            s.replied_late = bool(due and ev.on > due)
            late = f"，超过答复期限（{_d(due)}）" if s.replied_late else f"，在答复期限（{_d(due)}）内"
            line(ev, f"作出答复（{ev.detail}），共计 {n} 个工作日{late}。", counted=n)
        elif kind == EventKind.TRANSFERRED:
            s.status, s.closed_on = Status.TRANSFERRED, ev.on
            line(ev, f"转送{ev.detail}办理。")
    if not s.is_closed:
        s.due_date = _due(s)
    return s


def _due(s: ClockState) -> date | None:
    """Due date from the current state: base + answer period (Art. 33) + extension + paused working days."""
    if s.base_on is None or s.status in (Status.AWAITING_CORRECTION, Status.PENDING, Status.TRANSFERRED):
        return None
    as_of = s.today or timezone.localdate()
    total = rules.get("answer").workdays + s.extension_days + s.paused_days
    if s.pause_started is not None and s.closed_on is None:
        # Still paused: every working day of the pause pushes the date back by one.
        total += s.open_pause_days(max(as_of, s.pause_started))
    base = s.base_on
    return _safe(s, lambda: add_workdays(base, total))


def events_of(application: Application) -> list[ClockEvent]:
    return list(application.events.order_by("on", "id"))


def state_of(application: Application, today: date | None = None) -> ClockState:
    return compute(application, events_of(application), today)


def cache_columns(state: ClockState) -> dict[str, Any]:
    """The ``Application`` columns that cache ``state``."""
    return {
        "status": state.status,
        "received_on": state.received_on,
        "due_date": state.due_date,
        "closed_on": state.closed_on,
        "clock_warning": state.warning[:300],
    }


def refresh(application: Application, today: date | None = None) -> ClockState:
    """Recompute the cache columns from the ledger and save them if they changed."""
    state = state_of(application, today)
    new = cache_columns(state)
    changed = [k for k, v in new.items() if getattr(application, k) != v]
    if changed:
        for key in changed:
            setattr(application, key, new[key])
        Application.objects.filter(pk=application.pk).update(**{k: new[k] for k in changed})
    return state


def recompute_open(years: set[int] | None = None) -> int:
    """Recompute every open case (after a calendar change). Returns how many changed."""

    changed = 0
    qs = Application.objects.filter(status__in=OPEN_STATUSES)
    if years:
        # A change in year Y moves only deadlines of cases received in or before Y.
        qs = qs.filter(submitted_on__year__lte=max(years))
    for app in qs.iterator(chunk_size=500):
        before = (app.status, app.due_date, app.clock_warning)
        refresh(app)
        changed += before != (app.status, app.due_date, app.clock_warning)
    return changed
