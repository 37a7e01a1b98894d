"""The statutory clock, computed purely from a case's ledger of ``ClockEvent`` rows.

Rules (spec §1.3, §1.5, §1.7; the periods themselves are rows of ``gongkai.rules``): the answer period runs
from the day after receipt (《条例》 Art. 33(2); receipt day not counted, Civil Code Art. 201); a 补正
request must go out within the Art. 30 window after receipt, and the answer period restarts from the day
the corrected application arrives (Art. 30); consultation of a third party or another agency is not counted
(Art. 33(3)) and has its own period (Art. 32 for a third party, Art. 34 for another agency); an extension
approved by the office head and notified to the applicant within the current answer period adds at most the
Art. 33(2) maximum; the time between a fee notice and payment is not counted (国办函〔2020〕109号, configurable
with ``GONGKAI_FEE_PAUSES_CLOCK`` because spec §7 marks it unconfirmed), and the applicant has the fee payment
period from the day after receiving the notice to pay.

Every pause is bounded by its own period: a consultation pauses the clock at most until the consulted party's
deadline (Art. 32 / Art. 34: that period counted from the day the consultation letter was delivered; after it
the agency decides, or consent is deemed), a fee notice at most until the payment deadline. After that the
answer period runs again whether or not staff recorded the end, so an open pause never moves the due date
for ever.

A 补正 restarts the answer period (Art. 30); an extension approved in the superseded period does not carry
over. The periods are those of the law in force on the day the application was received
(``rules.get("answer", on=received_on)``): before 2019-05-15 the 2007 Regulation (国务院令第492号 Art. 24).

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


#: What the silence of the consulted party means once its period has run out.
CONSULTATION_SILENCE: dict[str, str] = {
    ConsultationParty.THIRD_PARTY: "逾期未提出意见的，由本机关依照《条例》的规定决定是否公开",
    ConsultationParty.OTHER_AGENCY: "逾期未提出意见的，视为同意公开",
}


NO_CONSULTATION_PERIOD = "送达之日适用的规定未设征求意见期限。"


def consultation_rule(party: str, on: date | None = None) -> rules.Period:
    """The consultation period for ``party``; an unrecorded party is treated as a third party (Art. 32)."""
    return rules.get(CONSULTATION_RULE.get(party, "consultation"), on=on)


def in_force(key: str, on: date) -> rules.Period | None:
    """The rule ``key`` in force on ``on``, or None where the law of that day set no such period (the 2007
    Regulation had no 补正 window and no period for the consulted party)."""
    try:
        return rules.get(key, on=on)
    except rules.RuleNotInForce:
        return None


def rule_basis(period: rules.Period) -> str:
    """The rule and the version of the law, as the case page names them:
    "《…》（国务院令第711号）第三十三条第二款：{period.text}（2019年5月15日起施行）"."""
    if period.valid_from and period.valid_to:
        span = f"（{_d(period.valid_from)}至{_d(period.valid_to)}适用）"
    elif period.valid_from:
        span = f"（{_d(period.valid_from)}起施行）"
    elif period.valid_to:
        span = f"（{_d(period.valid_to)}前适用）"
    else:
        span = ""
    return f"{period.source}：{period.text}{span}"


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
    pause_until: date | None = None  # the last day the open pause may count (its own period); None: unbounded
    due_date: date | None = None
    closed_on: date | None = None
    replied_late: bool = False
    correction_request_by: date | None = None
    correction_requested: bool = False
    correction_due: date | None = None
    correction_received: bool = False
    consultation_due: date | None = None
    consultation_period: rules.Period | None = None  # the period of the open consultation (Art. 32 or 34)
    consultation_party: str = ""
    consultation_delivered: date | None = None  # the consultation letter reached the consulted party
    answer_period: rules.Period | None = None  # Art. 33(2) (2019) or Art. 24 (2007), by the receipt date
    extension_period: rules.Period | None = None
    reasonable_due: date | None = None  # Art. 35: the reasonable later answer date set and notified
    reasonable_reason: str = ""
    fee_payment_due: date | None = None
    warning: str = ""
    lines: list[Line] = field(default_factory=list)
    today: date | None = None

    @property
    def is_closed(self) -> bool:
        return self.status in (Status.REPLIED, Status.TRANSFERRED)

    def open_pause_days(self, as_of: date) -> int:
        """Working days of the open pause up to ``as_of``, never beyond the pause's own deadline."""
        if self.pause_started is None:
            return 0
        start, end = self.pause_started, self.pause_end(as_of)
        return _safe(self, lambda: count_workdays(start, end)) or 0

    def pause_end(self, day: date) -> date:
        """The last day of the open pause that counts if it ends (or is looked at) on ``day``."""
        assert self.pause_started is not None
        end = max(day, self.pause_started)
        return min(end, self.pause_until) if self.pause_until else end

    def pause_lapsed(self, as_of: date | None = None) -> bool:
        """The open pause's own period has run out: the answer period runs again (Art. 32, 34; fee notice)."""
        as_of = as_of or self.today or timezone.localdate()
        return self.pause_started is not None and self.pause_until is not None and as_of > self.pause_until

    def due_on(self, as_of: date) -> date | None:
        """The due date if an open pause ended on ``as_of`` (the date itself when nothing is paused)."""
        return _due(self, as_of)

    @property
    def basis(self) -> str:
        """The answer period applied, with its article and the version of the law (by the receipt date)."""
        if self.answer_period is None:
            return ""
        text = f"答复期限：{rule_basis(self.answer_period)}"
        if self.extension_period is not None:
            text += f"；延长答复期限累计最长 {self.extension_period.spaced}（{self.extension_period.article}）"
        return text + "。按收到申请之日适用的规定计算。"

    @property
    def consultation_text(self) -> str:
        """征求意见期限至 X（第三十二条），逾期…，答复期限恢复计算."""
        if self.consultation_due is None or self.consultation_period is None:
            return ""
        silence = CONSULTATION_SILENCE.get(self.consultation_party, CONSULTATION_SILENCE[ConsultationParty.THIRD_PARTY])
        delivered = f"征求意见书 {_d(self.consultation_delivered)} 送达，" if self.consultation_delivered else ""
        return (
            f"{delivered}征求意见期限至 {_d(self.consultation_due)}（{self.consultation_period.article}，"
            f"{self.consultation_period.spaced}），{silence}；期限届满后答复期限恢复计算。"
        )

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
        answer = self.answer_period or rules.get("answer")
        return answer.workdays + self.extension_days


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
    answer = rules.get("answer")  # replaced by the rule in force on the receipt date

    def line(ev: ClockEvent, text: str, **nums: int | None) -> None:
        s.lines.append(Line(ev.on, ev.kind, ev.get_kind_display(), text, **nums))

    def counted_until(day: date) -> int | None:
        if s.base_on is None:
            return None
        total = _safe(s, lambda: count_workdays(s.base_on, day))  # type: ignore[arg-type]
        return None if total is None else max(0, total - s.paused_days - s.open_pause_days(day))

    def close_pause(ev: ClockEvent) -> tuple[int | None, str]:
        """End the open pause on ``ev.on``; the days count only up to the pause's own deadline."""
        if s.pause_started is None:
            return None, ""
        start, end = s.pause_started, s.pause_end(ev.on)
        days = _safe(s, lambda: count_workdays(start, end))
        s.paused_days += days or 0
        note = ""
        if s.pause_until and ev.on > s.pause_until:
            note = f"（期限已于 {_d(s.pause_until)} 届满，只计至该日，此后答复期限已恢复计算）"
        s.pause_started, s.pause_kind, s.pause_until = None, "", None
        return days, note

    def set_consultation_due(delivered: date) -> None:
        s.consultation_delivered = delivered
        s.consultation_period = in_force(CONSULTATION_RULE.get(s.consultation_party, "consultation"), delivered)
        s.consultation_due = (
            _safe(s, partial(add_workdays, delivered, s.consultation_period.workdays))
            if s.consultation_period
            else None
        )
        s.pause_until = s.consultation_due

    for ev in events:
        kind = ev.kind
        if kind == EventKind.SUBMITTED:
            line(ev, f"申请人通过“{application.get_channel_display()}”提交申请，待工作人员与申请人确认收到。")
        elif kind == EventKind.RECEIVED:
            s.received_on = s.base_on = ev.on
            s.status = Status.IN_PROGRESS
            s.paused_days = s.extension_days = 0
            found = in_force("answer", ev.on)
            if found is None:
                s.warning = f"收到申请之日（{_d(ev.on)}）没有适用的答复期限规定，无法计算答复期限"
            else:
                answer = found
            s.answer_period = found
            s.extension_period = in_force("extension", ev.on)
            window = in_force("correction_request", ev.on)
            s.correction_request_by = _safe(s, partial(add_workdays, ev.on, window.workdays)) if window else None
            rule = RECEIPT_RULE.get(application.channel, "")
            correction = (
                f"如需补正，应在 {_d(s.correction_request_by)} 前（{window.spaced}内）一次性告知。"
                if window
                else "如需补正，应及时告知申请人。"
            )
            line(ev, f"{rule}。答复期限为自次日起 {answer.spaced}（{answer.source}）；{correction}")
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
            dropped = s.extension_days
            s.base_on = ev.on
            s.paused_days = s.extension_days = 0  # Art. 30: a new period; an earlier extension does not carry over
            s.reasonable_due, s.reasonable_reason = None, ""
            s.status = Status.IN_PROGRESS
            s.correction_received = True
            text = f"收到补正后的申请，答复期限自次日起重新计算 {answer.spaced}（第三十条）。"
            if dropped:
                text += f"原答复期限内批准的延期（{dropped} 个工作日）随原期限失效，不再计入。"
            line(ev, text)
        elif kind == EventKind.CONSULTATION_STARTED:
            n = counted_until(ev.on)
            s.pause_started, s.pause_kind = ev.on, kind
            s.status = Status.IN_CONSULTATION
            s.consultation_party = ev.party or ConsultationParty.THIRD_PARTY
            delivered = ev.data.get("delivered_on")
            set_consultation_due(date.fromisoformat(delivered) if delivered else ev.on)
            who = ConsultationParty(ev.party).label if ev.party else "第三方"
            line(
                ev,
                f"书面征求{who}意见（{ev.detail or '未注明对象'}），此前已计 {n} 个工作日；征求意见期间"
                f"不计入答复期限（第三十三条第三款）。{s.consultation_text or NO_CONSULTATION_PERIOD}",
                counted=n,
            )
        elif kind == EventKind.CONSULTATION_DELIVERED:
            if s.pause_kind != EventKind.CONSULTATION_STARTED:
                line(ev, "记录征求意见书送达日期（没有正在进行的征求意见，不影响答复期限）。")
                continue
            set_consultation_due(date.fromisoformat(ev.data["delivered_on"]) if ev.data.get("delivered_on") else ev.on)
            line(ev, f"征求意见书送达对方。{s.consultation_text}")
        elif kind == EventKind.CONSULTATION_ENDED:
            days, note = close_pause(ev)
            s.status = Status.IN_PROGRESS
            line(
                ev,
                f"征求意见结束（{ev.detail or '已收到意见'}），暂停 {days} 个工作日{note}，不计入答复期限，"
                "从次日起继续计算。",
                paused=days,
            )
        elif kind == EventKind.FEE_NOTICE:
            n = counted_until(ev.on)
            delivered = date.fromisoformat(ev.data["delivered_on"]) if ev.data.get("delivered_on") else ev.on
            fee_period = in_force("fee_payment", delivered)
            s.fee_payment_due = _safe(s, partial(add_workdays, delivered, fee_period.workdays)) if fee_period else None
            s.status = Status.AWAITING_FEE
            pause_text = ""
            if pauses_fee:
                s.pause_started, s.pause_kind, s.pause_until = ev.on, kind, s.fee_payment_due
                pause_text = "自发出收费通知至缴费之日不计入答复期限（至多计至缴费期限届满之日）；"
            period_text = f"（收到通知次日起 {fee_period.spaced}内）" if fee_period else ""
            line(
                ev,
                f"发出收费通知，金额 {ev.data.get('amount', '')} 元，此前已计 {n} 个工作日；{pause_text}"
                f"申请人应在 {_d(s.fee_payment_due)} 前{period_text}缴费，逾期视为放弃申请。",
                counted=n,
            )
        elif kind == EventKind.FEE_PAID:
            days, note = close_pause(ev) if pauses_fee else (None, "")
            s.status = Status.IN_PROGRESS
            s.fee_payment_due = None
            text = "申请人已缴纳信息处理费" + (
                f"，暂停 {days} 个工作日{note}，从次日起继续计算。" if pauses_fee else "。"
            )
            line(ev, text, paused=days)
        elif kind == EventKind.EXTENSION:
            approver = ev.data.get("approved_by_name", "")
            notified_text = ev.data.get("notified_on", "")
            notified = date.fromisoformat(notified_text) if notified_text else None
            most = s.extension_period.workdays if s.extension_period else 0
            late = extension_outside_period(s, ev.on, notified)
            if late:
                line(
                    ev, f"经工作机构负责人{approver}同意延长 {ev.days} 个工作日，但{late}，不计入（第三十三条第二款）。"
                )
                continue
            s.extension_days += ev.days or 0
            line(
                ev,
                f"经工作机构负责人{approver}同意，答复期限延长 {ev.days} 个工作日（累计延长 "
                f"{s.extension_days} 个，最多 {most} 个），已于 {notified_text} 告知申请人"
                f"（第三十三条第二款）。{ev.detail}",
                added=ev.days,
            )
        elif kind == EventKind.REASONABLE_PERIOD:
            due_text = ev.data.get("due", "")
            notified_text = ev.data.get("notified_on", "")
            notified = date.fromisoformat(notified_text) if notified_text else None
            late = extension_outside_period(s, ev.on, notified)
            if late:
                line(ev, f"确定延迟答复的合理期限至 {due_text}，但{late}，不计入（第三十五条）。")
                continue
            s.reasonable_due = date.fromisoformat(due_text) if due_text else None
            s.reasonable_reason = ev.detail
            line(
                ev,
                f"申请公开政府信息的数量、频次明显超过合理范围，经审查申请理由合理，但无法在第三十三条规定的期限内"
                f"答复，确定延迟答复的合理期限至 {_d(s.reasonable_due)}，已于 {notified_text} 告知申请人"
                f"（第三十五条）。理由：{ev.detail}",
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


def extension_outside_period(s: ClockState, on: date, notified: date | None) -> str:
    """Why an extension approved on ``on`` and notified on ``notified`` does not count, or "" if it does:
    both must fall within the current answer period (Art. 33(2)). Shared with ``handling.extend``."""
    if s.base_on is None:
        return ""
    due = s.due_on(on)
    if due is not None and on > due:
        return f"批准延期时答复期限已于 {_d(due)} 届满"
    if notified is None:
        return "未告知申请人"
    due = s.due_on(notified)
    if due is not None and notified > due:
        return f"告知申请人时答复期限已于 {_d(due)} 届满"
    return ""


def _due(s: ClockState, as_of: date | None = None) -> date | None:
    """Due date from the current state: base + answer period (Art. 33) + extension + paused working days.

    An open pause counts up to ``as_of`` (default today) but never beyond its own deadline."""
    if s.base_on is None or s.status in (Status.AWAITING_CORRECTION, Status.PENDING, Status.TRANSFERRED):
        return None
    if s.answer_period is None:
        return None
    if s.reasonable_due is not None:
        return s.reasonable_due  # Art. 35: the reasonable period replaces the Art. 33 date
    as_of = as_of or s.today or timezone.localdate()
    total = s.answer_period.workdays + s.extension_days + s.paused_days
    if s.pause_started is not None and s.closed_on is None:
        # Still paused: every working day of the pause, up to its deadline, pushes the date back by one.
        total += s.open_pause_days(as_of)
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


def recompute_open(years: set[int] | None = None, *, closed: bool = False) -> int:
    """Recompute every open case (after a calendar change) — with ``closed``, the closed ones too (after a
    change of the clock's rules, so that the due dates the annual report's 逾期答复 reads agree). Returns how
    many changed."""

    changed = 0
    qs = Application.objects.all() if closed else Application.objects.filter(status__in=OPEN_STATUSES)
    if years:
        # A change in year Y moves only deadlines of cases received in or before Y.
        qs = qs.filter(submitted_on__year__lte=max(years))
    for app in qs.iterator(chunk_size=500):
        before = (app.status, app.due_date, app.clock_warning)
        refresh(app)
        changed += before != (app.status, app.due_date, app.clock_warning)
    return changed
