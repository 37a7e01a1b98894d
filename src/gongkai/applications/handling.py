"""Events while a case is open: 补正 (Art. 30), consultation (Art. 32, 34), extension (Art. 33), fees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from gongkai import rules
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import InvalidTransition, ValidationFailed

from . import actions, clock, fees, notify
from .access import can_approve_extension
from .choices import ConsultationParty, EventKind, FeeBasis, Status
from .intake import add_event, lock, not_future, parse_date
from .models import Application, FeeNotice


def _begin(action: str, actor: Any, application: Application, on: Any, label: str) -> tuple[Application, date]:
    """What every event shares: the row lock, the action table's permission and status rule
    (``actions.check``), and the date checks."""
    actions.permit(action, application, actor)
    day = parse_date(on, "on", label)
    not_future(day, "on", label)
    app = lock(application)
    actions.check(action, app, actor)
    if app.received_on and day < app.received_on:
        raise ValidationFailed({"on": [f"{label}不能早于收到申请日期（{app.received_on:%Y-%m-%d}）"]})
    last = app.events.order_by("-on", "-id").first()
    if last and day < last.on:
        raise ValidationFailed(
            {"on": [f"{label}不能早于上一办理事项（{last.get_kind_display()}，{last.on:%Y-%m-%d}）"]}
        )
    return app, day


def _finish(actor: Any, app: Application, action: Action, before: str, **changes: Any) -> Application:
    clock.refresh(app)
    audit.record(
        action,
        actor=actor,
        obj=app,
        org_code=app.unit.code,
        from_state=before,
        to_state=app.status,
        changes=changes,
    )
    return app


def request_correction(*, actor: Any, application: Application, on: Any, items: str, due: Any) -> Application:
    """Notify the applicant once, within the Art. 30 window after receipt (rule ``correction_request``), of
    what to correct."""
    items = (items or "").strip()
    if not items:
        raise ValidationFailed({"items": ["请写明需要补正的事项"]})
    due_day = parse_date(due, "due", "补正期限")
    with transaction.atomic():
        app, day = _begin("correction_request", actor, application, on, "补正通知日期")
        state = clock.state_of(app)
        if state.correction_requested:
            raise InvalidTransition("补正通知只能发出一次（第三十条：一次性告知）", field="on")
        if state.correction_request_by and day > state.correction_request_by:
            raise ValidationFailed(
                {
                    "on": [
                        f"补正通知应在收到申请之日起 {rules.get('correction_request').spaced}内发出"
                        f"（最迟 {state.correction_request_by:%Y-%m-%d}）"
                    ]
                }
            )
        if due_day <= day:
            raise ValidationFailed({"due": ["补正期限应晚于通知日期，并给申请人合理的时间"]})
        add_event(app, EventKind.CORRECTION_REQUESTED, day, actor, detail=items, data={"due": due_day.isoformat()})
        notify.queue(app, notify.Kind.CORRECTION)
        return _finish(actor, app, Action.APPLICATION_CORRECTION_REQUEST, Status.IN_PROGRESS, due=due_day)


def record_correction(*, actor: Any, application: Application, on: Any, note: str = "") -> Application:
    """The corrected application arrived: the answer period restarts from the next day (Art. 30)."""
    with transaction.atomic():
        app, day = _begin("correction_receive", actor, application, on, "收到补正日期")
        add_event(app, EventKind.CORRECTION_RECEIVED, day, actor, detail=note.strip())
        return _finish(actor, app, Action.APPLICATION_CORRECTION_RECEIVE, Status.AWAITING_CORRECTION, on=day)


def start_consultation(
    *,
    actor: Any,
    application: Application,
    on: Any,
    party: str,
    who: str,
    matter: str = "",
    delivered_on: Any = None,
) -> Application:
    """Ask a third party (Art. 32) or another agency (Art. 34) for its opinion: the answer period pauses
    until ``end_consultation`` (Art. 33(3): the time for the opinion is not counted), but at most until the
    consulted party's own period (rules ``consultation`` / ``consultation_agency``, counted from the day the
    consultation letter is delivered: ``delivered_on``, default the sending day, or later
    ``record_consultation_delivered``) has run out."""
    if party not in ConsultationParty.values:
        raise ValidationFailed({"party": ["请选择征求意见的对象类型（第三方或其他机关）"]})
    who = " ".join((who or "").split())
    if not who:
        raise ValidationFailed({"who": ["请填写征求意见对象的名称"]})
    with transaction.atomic():
        app, day = _begin("consultation_start", actor, application, on, "征求意见日期")
        delivered = _delivered(delivered_on, day, "征求意见书送达日期", "发出征求意见日期")
        add_event(
            app,
            EventKind.CONSULTATION_STARTED,
            day,
            actor,
            party=party,
            detail=who,
            data={"matter": matter.strip(), "delivered_on": delivered.isoformat()},
        )
        return _finish(
            actor, app, Action.APPLICATION_CONSULTATION_START, Status.IN_PROGRESS, party=party, delivered_on=delivered
        )


def _delivered(value: Any, sent: date, label: str, sent_label: str) -> date:
    """A delivery date: optional (default the sending day), not in the future, not before sending."""
    if not value:
        return sent
    day = parse_date(value, "delivered_on", label)
    not_future(day, "delivered_on", label)
    if day < sent:
        raise ValidationFailed({"delivered_on": [f"{label}不能早于{sent_label}（{sent:%Y-%m-%d}）"]})
    return day


def record_consultation_delivered(*, actor: Any, application: Application, on: Any) -> Application:
    """The consultation letter reached the consulted party on ``on`` (e.g. the day a registered letter was
    signed for): its period (Art. 32 / Art. 34) counts from that day, and so does the most the answer period
    can be paused for it."""
    with transaction.atomic():
        app, day = _begin("consultation_delivered", actor, application, on, "征求意见书送达日期")
        started = app.events.filter(kind=EventKind.CONSULTATION_STARTED).order_by("-on", "-id").first()
        if started is None:  # pragma: no cover - the status rule (in_consultation) already ensures one
            raise InvalidTransition("该申请没有正在进行的征求意见", field="on")
        add_event(app, EventKind.CONSULTATION_DELIVERED, day, actor, data={"delivered_on": day.isoformat()})
        return _finish(actor, app, Action.APPLICATION_CONSULTATION_DELIVERED, Status.IN_CONSULTATION, delivered_on=day)


def end_consultation(*, actor: Any, application: Application, on: Any, outcome: str = "") -> Application:
    """The opinion came back (or its period ran out, Art. 32): the answer period runs on from the next day.
    Recorded after the consulted party's deadline, the pause still counts only up to that deadline."""
    with transaction.atomic():
        app, day = _begin("consultation_end", actor, application, on, "征求意见结束日期")
        add_event(app, EventKind.CONSULTATION_ENDED, day, actor, detail=(outcome or "").strip())
        return _finish(actor, app, Action.APPLICATION_CONSULTATION_END, Status.IN_CONSULTATION)


def extend(
    *,
    actor: Any,
    application: Application,
    on: Any,
    days: Any,
    reason: str,
    approved_by: Any,
    notified_on: Any,
) -> Application:
    """Extend by at most the Art. 33(2) maximum in all (rule ``extension`` in force on the receipt date),
    approved by the office head and notified to the applicant, both within the current answer period: an
    extension approved or notified after the period has run out does not count, and is refused."""
    errors: dict[str, list[str]] = {}
    most = rules.get("extension", on=application.received_on)
    try:
        n = int(days)
    except (TypeError, ValueError):
        n = 0
    if n < 1:
        errors["days"] = [f"请填写延长的工作日数（1–{most.workdays}）"]
    if not (reason or "").strip():
        errors["reason"] = ["请写明延长答复期限的理由"]
    if approved_by is None or not getattr(approved_by, "is_authenticated", False):
        errors["approved_by"] = ["延长答复期限须经政府信息公开工作机构负责人同意，请选择批准人"]
    elif not can_approve_extension(approved_by, application.unit):
        errors["approved_by"] = ["批准人须为本单位审签领导或公开办负责人（工作机构负责人）"]
    notified: date | None = None
    if not notified_on:
        errors["notified_on"] = ["延长答复期限须告知申请人，请填写告知日期"]
    else:
        try:
            notified = parse_date(notified_on, "notified_on", "告知申请人日期")
            not_future(notified, "notified_on", "告知申请人日期")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert notified is not None
    with transaction.atomic():
        app, day = _begin("extend", actor, application, on, "批准延期日期")
        state = clock.state_of(app)
        most = state.extension_period or most
        if state.extension_days + n > most.workdays:
            left = most.workdays - state.extension_days
            raise ValidationFailed(
                {
                    "days": [
                        f"延长答复期限最长不超过 {most.spaced}（已延长 {state.extension_days} 个，"
                        f"最多还可延长 {left} 个）"
                    ]
                }
            )
        due = state.due_on(day)
        if due and day > due:
            raise ValidationFailed(
                {"on": [f"答复期限已于 {due:%Y-%m-%d} 届满，不能再批准延期（第三十三条第二款：须在答复期限内）"]}
            )
        if notified < day:
            raise ValidationFailed({"notified_on": ["告知申请人日期不能早于批准延期日期"]})
        due = state.due_on(notified)
        if due and notified > due:
            raise ValidationFailed(
                {
                    "notified_on": [
                        f"答复期限已于 {due:%Y-%m-%d} 届满：延长答复期限须在答复期限内告知申请人"
                        "（第三十三条第二款），逾期告知的延期不计入"
                    ]
                }
            )
        add_event(
            app,
            EventKind.EXTENSION,
            day,
            actor,
            days=n,
            detail=reason.strip(),
            data={
                "approved_by": approved_by.pk,
                "approved_by_name": approved_by.get_full_name() or approved_by.username,
                "notified_on": notified.isoformat(),
            },
        )
        notify.queue(app, notify.Kind.EXTENDED)
        return _finish(actor, app, Action.APPLICATION_EXTEND, app.status, days=n, approved_by=approved_by.pk)


def set_reasonable_period(
    *, actor: Any, application: Application, on: Any, due: Any, reason: str, notified_on: Any
) -> Application:
    """《条例》第三十五条: the quantity or frequency of the requests is clearly beyond a reasonable range, the
    applicant's reason was found reasonable, but the answer cannot be given within Art. 33 — set a reasonable
    later answer date and tell the applicant. Like an extension it is decided and notified within the current
    answer period; the date must be later than the current due date; a 补正 restart drops it (Art. 30)."""
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["请写明申请数量、频次超过合理范围的情况和申请人说明的理由（第三十五条）"]
    day_due: date | None = None
    notified: date | None = None
    try:
        day_due = parse_date(due, "due", "延迟答复的合理期限")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if not notified_on:
        errors["notified_on"] = ["确定延迟答复的合理期限须告知申请人，请填写告知日期"]
    else:
        try:
            notified = parse_date(notified_on, "notified_on", "告知申请人日期")
            not_future(notified, "notified_on", "告知申请人日期")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert day_due is not None and notified is not None
    with transaction.atomic():
        app, day = _begin("reasonable_period", actor, application, on, "确定日期")
        state = clock.state_of(app)
        current = state.due_on(day)
        if notified < day:
            raise ValidationFailed({"notified_on": ["告知申请人日期不能早于确定日期"]})
        if late := clock.extension_outside_period(state, day, notified):
            raise ValidationFailed({"on": [f"{late}：延迟答复的合理期限须在答复期限内确定并告知申请人（第三十五条）"]})
        if current and day_due <= current:
            raise ValidationFailed(
                {"due": [f"合理期限应晚于现在的答复期限（{current:%Y-%m-%d}）；能按期答复的不适用第三十五条"]}
            )
        add_event(
            app,
            EventKind.REASONABLE_PERIOD,
            day,
            actor,
            detail=reason.strip(),
            data={"due": day_due.isoformat(), "notified_on": notified.isoformat()},
        )
        return _finish(actor, app, Action.APPLICATION_REASONABLE_PERIOD, app.status, due=day_due.isoformat())


def prior_items(app: Application, on: date) -> int:
    """Items the same applicant already filed with this unit in the calendar month of ``on``."""
    qs = Application.objects.filter(
        unit_id=app.unit_id,
        id_type=app.id_type,
        id_number=app.id_number,
        received_on__year=on.year,
        received_on__month=on.month,
    ).exclude(pk=app.pk)
    if app.received_on and app.received_on.month == on.month and app.received_on.year == on.year:
        qs = qs.filter(received_on__lte=app.received_on).exclude(received_on=app.received_on, pk__gt=app.pk)
    return int(qs.aggregate(n=Sum("item_count"))["n"] or 0)


def quote(app: Application, basis: str, quantity: int, on: date) -> tuple[fees.FeeQuote, int]:
    if basis == FeeBasis.PER_PAGE:
        return fees.per_page(quantity, on), 0
    prior = prior_items(app, app.received_on or on)
    return fees.per_item(prior, quantity, on), prior


def issue_fee_notice(
    *,
    actor: Any,
    application: Application,
    on: Any,
    basis: str,
    quantity: Any,
    delivered_on: Any = None,
) -> FeeNotice:
    """信息处理费 (Art. 42, 国办函〔2020〕109号): one notice per case, by item or by page, only where the
    amount is above nothing, sent within the answer period (spec §1.5); the case waits for payment, and the
    clock pauses at most until the payment deadline (rule ``fee_payment``, from the notice's delivery)."""
    if basis not in FeeBasis.values:
        raise ValidationFailed({"basis": ["请选择计收方式：按件或按量（同一申请只能选一种）"]})
    try:
        qty = int(quantity)
        if qty < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationFailed({"quantity": ["请填写件数或页数（正整数）"]}) from None
    with transaction.atomic():
        app, day = _begin("fee_notice", actor, application, on, "收费通知日期")
        delivered = parse_date(delivered_on, "delivered_on", "申请人收到通知日期") if delivered_on else day
        if delivered < day:
            raise ValidationFailed({"delivered_on": ["申请人收到通知日期不能早于通知日期"]})
        if app.fee_notices.exists():
            raise InvalidTransition("该申请已发出过收费通知", field="on")
        due = clock.state_of(app).due_date
        if due and day > due:
            raise ValidationFailed(
                {"on": [f"答复期限已于 {due:%Y-%m-%d} 届满，不能再发出收费通知（收费通知应在答复期限内发出）"]}
            )
        q, prior = quote(app, basis, qty, day)
        if q.amount <= Decimal(0):
            raise ValidationFailed({"quantity": [f"按规定不收费（{q.breakdown}），无需发出收费通知"]})
        notice = FeeNotice.objects.create(
            application=app,
            basis=basis,
            quantity=qty,
            prior_items=prior,
            amount=q.amount,
            breakdown=q.breakdown,
            issued_on=day,
            delivered_on=delivered,
        )
        add_event(
            app,
            EventKind.FEE_NOTICE,
            day,
            actor,
            detail=q.breakdown,
            data={"amount": str(q.amount), "delivered_on": delivered.isoformat(), "notice": notice.pk},
        )
        _finish(actor, app, Action.APPLICATION_FEE_NOTICE, Status.IN_PROGRESS, amount=q.amount, basis=basis)
    return notice


def record_payment(*, actor: Any, application: Application, on: Any) -> Application:
    """The applicant paid the fee of the open notice within the payment period (Art. 42)."""
    with transaction.atomic():
        app, day = _begin("fee_paid", actor, application, on, "缴费日期")
        notice = app.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
        if notice is None:
            raise InvalidTransition("该申请没有待缴费的收费通知", field="on")
        state = clock.state_of(app)
        if state.fee_payment_due and day > state.fee_payment_due:
            raise ValidationFailed({"on": [f"缴费期限已于 {state.fee_payment_due:%Y-%m-%d} 届满，应按逾期未缴费处理"]})
        notice.paid_on = day
        notice.save(update_fields=["paid_on"])
        add_event(app, EventKind.FEE_PAID, day, actor, data={"amount": str(notice.amount)})
        return _finish(actor, app, Action.APPLICATION_FEE_PAID, Status.AWAITING_FEE, paid_on=day)
