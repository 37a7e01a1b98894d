"""Intake: online submissions, staff entry from every channel (Art. 28–29), receipt (Art. 31), transfer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org

from . import actions, clock, notify, numbering
from .access import require_handle
from .choices import (
    CONFIRMED_CHANNELS,
    ORG_ID_TYPES,
    PERSON_ID_TYPES,
    RECEIPT_RULE,
    ApplicantType,
    Channel,
    Delivery,
    EventKind,
    IdType,
    InfoForm,
    Status,
)
from .models import Application, ClockEvent
from .validation import email_error, id_number_error, normalize_id, phone_error

APPLICANT_FIELDS = (
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_number",
    "purpose",
    "info_form",
    "delivery",
    "item_count",
)


_APPLICANT_TYPES = frozenset(ApplicantType.values)


def today() -> date:
    return timezone.localdate()


def _text(data: dict[str, Any], key: str) -> str:
    return " ".join(str(data.get(key) or "").split()) if key != "description" else str(data.get(key) or "").strip()


def clean_applicant(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the application form; collect every error (field → Chinese messages) before raising."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {k: _text(data, k) for k in APPLICANT_FIELDS if k != "item_count"}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = out["applicant_type"]
    if message := applicant_type_error(kind):
        err("applicant_type", message)
    is_person = kind == ApplicantType.NATURAL_PERSON
    if not out["name"]:
        err("name", "请填写申请人姓名" if is_person else "请填写法人或其他组织的名称")
    elif len(out["name"]) > 100:
        err("name", "姓名/名称不能超过 100 个字")
    id_type = out["id_type"]
    allowed = PERSON_ID_TYPES if is_person else ORG_ID_TYPES
    if id_type not in IdType.values or (kind in ApplicantType.values and id_type not in allowed):
        err("id_type", "请选择身份证明的证件类型" + ("" if is_person else "（法人或其他组织一般为统一社会信用代码）"))
    else:
        out["id_number"] = normalize_id(id_type, out["id_number"])
        message = id_number_error(id_type, out["id_number"])
        if message:
            err("id_number", message)
    if kind in ApplicantType.values and not is_person and not out["contact_person"]:
        err("contact_person", "法人或其他组织申请的，请填写联系人姓名")
    if not (out["phone"] or out["email"] or out["address"]):
        err("phone", "请至少填写一种联系方式：联系电话、电子邮箱或通信地址（第二十九条）")
    for field, check in (("phone", phone_error), ("email", email_error)):
        message = check(out[field])
        if message:
            err(field, message)
    if out["postcode"] and not (len(out["postcode"]) == 6 and out["postcode"].isdigit()):
        err("postcode", "邮政编码应为 6 位数字")
    if len(out["description"]) < 2:
        err("description", "请描述所需政府信息的名称、文号或者便于查询的其他特征性描述（第二十九条）")
    elif len(out["description"]) > 2000:
        err("description", f"内容描述不能超过 2000 个字（现为 {len(out['description'])} 个字）")
    if len(out["purpose"]) > 200:
        err("purpose", "用途不能超过 200 个字")
    if out["info_form"] not in InfoForm.values:
        err("info_form", "请选择获取信息的形式（纸质、电子或查阅）")
    if out["delivery"] not in Delivery.values:
        err("delivery", "请选择获取信息的方式（邮寄、电子邮件或自行领取）")
    elif out["delivery"] == Delivery.EMAIL and not out["email"]:
        err("email", "选择电子邮件方式获取的，请填写电子邮箱")
    elif out["delivery"] == Delivery.POST and not out["address"]:
        err("address", "选择邮寄方式获取的，请填写通信地址")
    try:
        out["item_count"] = int(data.get("item_count") or 1)
        if not 1 <= out["item_count"] <= 500:
            raise ValueError
    except (TypeError, ValueError):
        err("item_count", "申请事项件数应为 1–500 的整数")
    if errors:
        raise ValidationFailed(errors)
    return out


def parse_date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed({field: [f"请填写{label}（格式 YYYY-MM-DD）"]}) from None


def not_future(day: date, field: str, label: str) -> None:
    if message := future_error(day, label):
        raise ValidationFailed({field: [message]})


# Checks shared with the import of historical cases (bulk.py): each returns the Chinese message or None.


def applicant_type_error(kind: str) -> str | None:
    return None if kind in _APPLICANT_TYPES else "请选择申请人类型（自然人或法人/其他组织的类别）"


def future_error(day: date, label: str) -> str | None:
    return f"{label}不能晚于今天（{today():%Y-%m-%d}）" if day > today() else None


def receipt_order_error(submitted: date, received: date) -> str | None:
    """Art. 31: the receipt date is the day the application arrives, never before it was sent."""
    return "收到申请日期不能早于申请人提交（寄出）日期" if submitted > received else None


def add_event(app: Application, kind: str, on: date, actor: Any, **fields: Any) -> ClockEvent:
    return ClockEvent.objects.create(
        application=app,
        kind=kind,
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )


def _create(
    *, actor: Any, unit: Org, fields: dict[str, Any], channel: str, submitted_on: date, oral: bool
) -> tuple[Application, str]:
    if not unit.is_unit or not unit.is_active:
        raise ValidationFailed({"unit": ["请选择受理申请的行政机关（乡镇人民政府或街道办事处等）"]})
    code = numbering.new_query_code()
    serial = numbering.next_serial(unit, submitted_on.year, "tracking")
    tracking = numbering.tracking_number(unit, submitted_on.year, serial)
    app = Application.objects.create(
        unit=unit,
        tracking_number=tracking,
        tracking_year=submitted_on.year,
        tracking_serial=serial,
        query_code_hash=numbering.hash_code(tracking, code),
        channel=channel,
        oral=oral,
        submitted_on=submitted_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        handler=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    return app, code


def submit_online(*, unit: Org, data: dict[str, Any], submitted_on: date | None = None) -> tuple[Application, str]:
    """A citizen's online application (no login). Returns the case and the query code, shown once.

    ``submitted_on`` back-dates the submission for seeding history (``gongkai demo``); the public form and
    the API never pass it, so a citizen's application is always dated the day it arrives.
    """
    fields = clean_applicant(data)
    day = submitted_on or today()
    not_future(day, "submitted_on", "提交日期")
    with transaction.atomic():
        app, code = _create(actor=None, unit=unit, fields=fields, channel=Channel.ONLINE, submitted_on=day, oral=False)
        add_event(app, EventKind.SUBMITTED, app.submitted_on, None)
        clock.refresh(app)
        audit.record(
            Action.APPLICATION_SUBMIT,
            obj=app,
            org_code=unit.code,
            to_state=app.status,
            comment=f"{app.tracking_number} 网上提交",
        )
    return app, code


def enter_application(
    *,
    actor: Any,
    unit: Org,
    data: dict[str, Any],
    channel: str,
    submitted_on: Any = None,
    received_on: Any = None,
    oral: bool = False,
) -> tuple[Application, str]:
    """Staff entry of a letter, visit, window, fax, e-mail or oral application.

    ``received_on`` is the receipt date Art. 31 defines for the channel: the day submitted in person, the
    day a registered letter was signed for, the day an ordinary letter was confirmed with the applicant;
    for fax and e-mail it may be left empty until both sides confirm (then ``confirm_receipt``).
    """
    require_handle(actor, unit)
    errors: dict[str, list[str]] = {}
    try:
        fields = clean_applicant(data)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        fields = {}
    if channel not in Channel.values or channel == Channel.ONLINE:
        errors["channel"] = ["请选择收到申请的渠道（网上申请由申请人在网站提交）"]
    received: date | None = None
    submitted: date | None = None
    try:
        if received_on not in (None, ""):
            received = parse_date(received_on, "received_on", "收到申请日期")
            not_future(received, "received_on", "收到申请日期")
        elif channel not in CONFIRMED_CHANNELS:
            errors["received_on"] = ["请填写收到申请日期：" + _receipt_hint(channel)]
        submitted = parse_date(submitted_on, "submitted_on", "提交日期") if submitted_on else (received or today())
        not_future(submitted, "submitted_on", "提交日期")
        if received and (message := receipt_order_error(submitted, received)):
            errors["received_on"] = [message]
    except ValidationFailed as exc:
        for key, messages in exc.errors.items():
            errors.setdefault(key, []).extend(messages)
    if oral and channel not in (Channel.IN_PERSON, Channel.SERVICE_WINDOW):
        errors["oral"] = ["口头申请只能当面或在窗口提出"]
    if errors:
        raise ValidationFailed(errors)
    assert submitted is not None
    with transaction.atomic():
        app, code = _create(actor=actor, unit=unit, fields=fields, channel=channel, submitted_on=submitted, oral=oral)
        add_event(
            app, EventKind.SUBMITTED, submitted, actor, detail="工作人员录入" + ("（口头申请代为填写）" if oral else "")
        )
        if received:
            add_event(app, EventKind.RECEIVED, received, actor)
        clock.refresh(app)
        if received:
            notify.queue(app, notify.Kind.RECEIVED)
        audit.record(
            Action.APPLICATION_ENTER,
            actor=actor,
            obj=app,
            org_code=unit.code,
            to_state=app.status,
            comment=f"{app.tracking_number} {app.get_channel_display()}",
            changes={"channel": channel},
        )
    return app, code


def _receipt_hint(channel: str) -> str:

    return RECEIPT_RULE.get(channel, "")


def lock(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("unit").get(pk=app.pk)


def confirm_receipt(*, actor: Any, application: Application, received_on: Any) -> Application:
    """Online/fax/e-mail: the day both sides confirm is the receipt date (Art. 31(3))."""
    actions.permit("receive", application, actor)
    day = parse_date(received_on, "received_on", "双方确认收到申请的日期")
    not_future(day, "received_on", "收到申请日期")
    with transaction.atomic():
        app = lock(application)
        actions.check("receive", app, actor)
        if day < app.submitted_on:
            raise ValidationFailed(
                {"received_on": [f"确认收到日期不能早于申请人提交日期（{app.submitted_on:%Y-%m-%d}）"]}
            )
        add_event(app, EventKind.RECEIVED, day, actor, detail="双方确认收到")
        clock.refresh(app)
        notify.queue(app, notify.Kind.RECEIVED)
        audit.record(
            Action.APPLICATION_RECEIVE,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            from_state=Status.PENDING,
            to_state=app.status,
            changes={"received_on": day},
        )
    return app


def transfer(*, actor: Any, application: Application, to_unit: Org, on: Any, reason: str = "") -> Application:
    """Move a case not yet received to the unit it belongs to; it keeps the applicant's data and gets a new
    tracking number there (the applicant is told it). A case already received is answered instead, with
    result 本机关不掌握 and the right agency named (Art. 36(5))."""
    actions.permit("transfer", application, actor)
    day = parse_date(on, "on", "转送日期")
    not_future(day, "on", "转送日期")
    if not to_unit.is_unit or to_unit.pk == application.unit_id:
        raise ValidationFailed({"to_unit": ["请选择其他负责公开该信息的行政机关"]})
    with transaction.atomic():
        app = lock(application)
        actions.check("transfer", app, actor)
        fields = {k: getattr(app, k) for k in APPLICANT_FIELDS}
        new, _code = _create(
            actor=None, unit=to_unit, fields=fields, channel=app.channel, submitted_on=app.submitted_on, oral=app.oral
        )
        # The applicant keeps using the old number and code: the tracking page follows the transfer.
        new.transferred_from = app
        new.save(update_fields=["transferred_from"])
        add_event(
            new, EventKind.SUBMITTED, app.submitted_on, None, detail=f"由{app.unit.name}转来（{app.tracking_number}）"
        )
        contact = "、".join(x for x in (to_unit.phone, to_unit.address) if x)
        add_event(
            app,
            EventKind.TRANSFERRED,
            day,
            actor,
            detail=f"{to_unit.name}（{new.tracking_number}）",
            data={"to_unit": to_unit.code, "to_tracking": new.tracking_number, "contact": contact, "reason": reason},
        )
        clock.refresh(app)
        clock.refresh(new)
        notify.queue(app, notify.Kind.TRANSFERRED)
        audit.record(
            Action.APPLICATION_TRANSFER,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            from_state=Status.PENDING,
            to_state=app.status,
            comment=reason,
            changes={"to_unit": to_unit.code, "to_tracking": new.tracking_number},
        )
    return new
