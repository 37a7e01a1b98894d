"""Closing a case with exactly one result code, fee lapse, and appeals (行政复议 / 行政诉讼)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import InvalidTransition, ValidationFailed

from . import actions, clock, notify, remedies
from .choices import AppealKind, AppealOutcome, EventKind, Status
from .intake import add_event, lock, not_future, parse_date
from .models import Appeal, Application, Reply, ResultCode


def reply(
    *,
    actor: Any,
    application: Application,
    result: str,
    on: Any,
    content: str = "",
    proactive_location: str = "",
    referred_agency: str = "",
    proactive: bool = False,
) -> Reply:
    """Answer the application. ``result`` is a key of the national table (spec §2.3).

    Art. 36 variants: 已主动公开 (``proactive``, Art. 36(1)) is 予以公开 that must say where the proactively
    disclosed information is (``proactive_location``: 告知获取该政府信息的方式、途径); 不属于本机关
    is 本机关不掌握 with ``referred_agency`` (which agency and its contact). Only a received case that is not
    waiting for a consultation's opinion is answered (the statuses are ``actions`` row ``reply``).
    """
    actions.permit("reply", application, actor)
    code = ResultCode.objects.filter(key=result).first()
    if code is None:
        raise ValidationFailed({"result": [NO_RESULT]})
    day = parse_date(on, "on", "答复日期")
    not_future(day, "on", "答复日期")
    _check_proactive(code, proactive, proactive_location)
    with transaction.atomic():
        app = lock(application)
        actions.check("reply", app, actor)
        if Reply.objects.filter(application=app).exists():
            raise InvalidTransition("该申请已办结并已答复，不能再次答复；如需更正，请联系公开办管理员", field="result")
        if app.received_on is None:
            raise InvalidTransition("请先确认收到申请（第三十一条），再作出答复", field="on")
        if message := reply_date_error(app.received_on, day):
            raise ValidationFailed({"on": [message]})
        last = app.events.order_by("-on", "-id").first()
        if last and day < last.on:
            raise ValidationFailed(
                {"on": [f"答复日期不能早于上一办理事项（{last.get_kind_display()}，{last.on:%Y-%m-%d}）"]}
            )
        state = clock.state_of(app)
        _check_result(app, code, state, day, content, referred_agency)
        before = app.status
        answer = Reply.objects.create(
            application=app,
            result=code,
            replied_on=day,
            content=content.strip(),
            proactive_location=proactive_location.strip(),
            referred_agency=referred_agency.strip(),
            actor=actor,
        )
        fee = app.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
        if fee is not None and code.key == "other.unpaid_fee":
            fee.lapsed_on = day
            fee.save(update_fields=["lapsed_on"])
        add_event(
            app,
            EventKind.REPLIED,
            day,
            actor,
            detail=reply_detail(code),
            data={"result": code.key},
        )
        clock.refresh(app)
        notify.queue(app, notify.Kind.REPLIED)
        audit.record(
            Action.APPLICATION_REPLY,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            from_state=before,
            to_state=app.status,
            changes={"result": code.key, "replied_on": day},
        )
    return answer


NO_RESULT = "请选择办理结果（年度报告表三中的一项）"


def _check_proactive(code: ResultCode, proactive: bool, location: str) -> None:
    """Art. 36(1): 所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径."""
    if not proactive:
        return
    if code.group != "granted":
        raise ValidationFailed({"proactive": ["只有“予以公开”的办理结果可以选择“已主动公开”（第三十六条第（一）项）"]})
    if not location.strip():
        raise ValidationFailed(
            {"proactive_location": ["已主动公开的，请填写获取该信息的方式、途径（公开位置）（第三十六条第（一）项）"]}
        )


def reply_date_error(received: date, day: date) -> str | None:
    """Shared with the import of historical cases (bulk.py)."""
    return f"答复日期不能早于收到申请日期（{received:%Y-%m-%d}）" if day < received else None


def reply_detail(code: ResultCode) -> str:
    """How the ledger's 作出答复 event names the result."""
    return f"{code.group_label}：{code.short_label}"


def _check_result(
    app: Application, code: ResultCode, state: clock.ClockState, day: Any, content: str, referred_agency: str
) -> None:
    if code.key == "other.no_correction":
        if app.status != Status.AWAITING_CORRECTION:
            raise ValidationFailed({"result": ["只有发出补正通知后申请人逾期未补正的，才能选择“逾期不补正”"]})
        if state.correction_due and day <= state.correction_due:
            raise ValidationFailed({"on": [f"补正期限 {state.correction_due:%Y-%m-%d} 尚未届满"]})
    elif code.key == STILL_UNCLEAR:
        _check_still_unclear(app, state, day)
    elif app.status == Status.AWAITING_CORRECTION:
        raise ValidationFailed({"result": ["申请人尚未补正：请等待补正，或在补正期限届满后以“逾期不补正”办结"]})
    if code.key == "other.unpaid_fee":
        if app.status != Status.AWAITING_FEE:
            raise ValidationFailed({"result": ["只有发出收费通知后申请人逾期未缴费的，才能选择“逾期未缴费”"]})
        if state.fee_payment_due and day <= state.fee_payment_due:
            raise ValidationFailed({"on": [f"缴费期限 {state.fee_payment_due:%Y-%m-%d} 尚未届满"]})
    elif app.status == Status.AWAITING_FEE:
        raise ValidationFailed({"result": ["申请人尚未缴费：请记录缴费，或在缴费期限届满后以“逾期未缴费”办结"]})
    if code.key == "other.other" and not content.strip():
        raise ValidationFailed({"content": ["选择“其他”的，请写明处理情况"]})
    if code.group == "withheld" and code.key != "withheld.state_secret" and not content.strip():
        raise ValidationFailed({"content": ["不予公开的，请写明理由（第三十六条第（三）项）"]})
    if code.key == "partly_granted" and not content.strip():
        raise ValidationFailed({"content": ["部分公开的，请写明不予公开部分及理由（第三十七条）"]})


STILL_UNCLEAR = "unable.still_unclear"


def _check_still_unclear(app: Application, state: clock.ClockState, day: date) -> None:
    """（四）3 补正后申请内容仍不明确 only closes a case after a full 补正 cycle (Art. 30): a correction was
    requested and the corrected application received. While the correction window is open the applicant may
    still correct; after it passed with no correction the case is （六）1 逾期不补正."""
    if not state.correction_requested:
        raise ValidationFailed(
            {
                "result": [
                    "“补正后申请内容仍不明确”须先发出补正通知并收到补正（第三十条）；尚未要求补正的，请先发出补正通知"
                ]
            }
        )
    if state.correction_received:
        return
    if state.correction_due is None or day <= state.correction_due:
        until = f"（{state.correction_due:%Y-%m-%d}）" if state.correction_due else ""
        raise ValidationFailed(
            {"result": [f"补正期限{until}尚未届满，申请人还可以补正：请等待补正后再判断申请内容是否明确"]}
        )
    raise ValidationFailed(
        {
            "result": [
                f"补正期限（{state.correction_due:%Y-%m-%d}）已届满且未收到补正，不能选择“补正后申请内容仍不明确”："
                "应以“（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”办结（第三十条）"
            ]
        }
    )


def lapse_fee(*, actor: Any, application: Application, on: Any) -> Reply:
    """The applicant did not pay within the fee payment period (rule ``fee_payment``, 国办函〔2020〕109号):
    closed as 其他处理 2 (逾期未缴费)."""
    return reply(actor=actor, application=application, result="other.unpaid_fee", on=on)


def lapse_correction(*, actor: Any, application: Application, on: Any) -> Reply:
    """No correction by the deadline: deemed withdrawn, closed as 其他处理 1 (Art. 30)."""
    return reply(actor=actor, application=application, result="other.no_correction", on=on)


def record_appeal(
    *,
    actor: Any,
    application: Application,
    kind: str,
    filed_on: Any,
    authority: str = "",
    case_number: str = "",
    note: str = "",
) -> Appeal:
    """Record that the applicant applied for 行政复议 or sued over the answer (Art. 51), in any status.

    A 未经复议直接起诉 against a decision whose remedy is 复议前置 (不予公开 replied on or after 2024-01-01,
    《行政复议法》（2023年修订）第二十三条第一款第（四）项) is recorded all the same — admissibility is for the
    court — with the warning in its audit event; ``remedies.direct_suit_warning`` gives the text to show.
    """
    actions.permit("appeal", application, actor)
    if kind not in AppealKind.values:
        raise ValidationFailed({"kind": ["请选择行政复议、直接起诉或复议后起诉"]})
    day = parse_date(filed_on, "filed_on", "申请复议/起诉日期")
    not_future(day, "filed_on", "申请复议/起诉日期")
    if application.received_on and day < application.received_on:
        raise ValidationFailed({"filed_on": ["复议/起诉日期不能早于收到申请日期"]})
    if kind == AppealKind.LITIGATION_AFTER and not application.appeals.filter(kind=AppealKind.RECONSIDERATION).exists():
        raise ValidationFailed({"kind": ["“复议后起诉”须先有行政复议记录"]})
    warning = remedies.direct_suit_warning(application, kind)
    with transaction.atomic():
        actions.check("appeal", application, actor)
        appeal = Appeal.objects.create(
            application=application,
            kind=kind,
            filed_on=day,
            authority=authority.strip(),
            case_number=case_number.strip(),
            note=note.strip(),
            created_by=actor,
        )
        audit.record(
            Action.APPLICATION_APPEAL,
            actor=actor,
            obj=appeal,
            org_code=application.unit.code,
            to_state=appeal.outcome,
            changes={"kind": kind, "application": application.pk, **({"warning": warning} if warning else {})},
        )
    return appeal


def decide_appeal(*, actor: Any, appeal: Appeal, outcome: str, decided_on: Any = None) -> Appeal:
    """The reconsideration body's or court's outcome (table 四 of the annual report counts it)."""
    actions.permit("appeal_decide", appeal.application, actor)
    if outcome not in AppealOutcome.values:
        raise ValidationFailed({"outcome": ["请选择结果：维持、纠正、其他或尚未审结"]})
    day = None
    if outcome != AppealOutcome.PENDING:
        day = parse_date(decided_on, "decided_on", "审结日期")
        not_future(day, "decided_on", "审结日期")
        if day < appeal.filed_on:
            raise ValidationFailed({"decided_on": ["审结日期不能早于申请复议/起诉日期"]})
    with transaction.atomic():
        actions.check("appeal_decide", appeal.application, actor)
        before = appeal.outcome
        appeal.outcome, appeal.decided_on = outcome, day
        appeal.save(update_fields=["outcome", "decided_on"])
        audit.record(
            Action.APPLICATION_APPEAL_DECIDE,
            actor=actor,
            obj=appeal,
            org_code=appeal.application.unit.code,
            from_state=before,
            to_state=outcome,
        )
    return appeal
