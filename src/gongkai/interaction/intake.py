"""Intake of messages: the public web form and API (no login), and staff entry of calls, letters, visits and
12345 orders. Each returns the message and its query code (shown once). Spam is refused here: the same content
to the same unit within the duplicate window (data/kinds.yaml) points to the first message's number."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org

from . import clock, kinds, numbering
from .access import require_handle
from .choices import Channel, EventKind
from .models import Message, MessageEvent
from .validation import clean_message, one_line, text_error


def today() -> date:
    return timezone.localdate()


def fingerprint(unit: Org, content: str) -> str:
    normal = "".join(content.split()).lower()
    return hashlib.sha256(f"{unit.pk}:{normal}".encode()).hexdigest()


def _check_unit(unit: Org | None) -> Org:
    if unit is None or not unit.is_unit or not unit.is_active:
        raise ValidationFailed({"unit": ["请选择受理留言的单位（乡镇人民政府、街道办事处等）"]})
    return unit


def duplicate_of(unit: Org, content: str) -> Message | None:
    since = timezone.now() - timedelta(hours=kinds.duplicate_window_hours())
    return (
        Message.objects.filter(unit=unit, fingerprint=fingerprint(unit, content), submitted_at__gte=since)
        .order_by("submitted_at")
        .first()
    )


def _refuse_duplicate(unit: Org, content: str) -> None:
    first = duplicate_of(unit, content)
    if first is not None:
        raise ValidationFailed(
            {
                "content": [
                    f"相同内容的留言已于 {timezone.localtime(first.submitted_at):%Y-%m-%d %H:%M} 提交（留言编号 "
                    f"{first.number}），请勿重复提交；请凭该编号和查询码查询办理进度"
                ]
            }
        )


def add_event(message: Message, kind: str, on: date, actor: Any, **fields: Any) -> MessageEvent:
    return MessageEvent.objects.create(
        message=message,
        kind=kind,
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )


def _create(
    *, actor: Any, unit: Org, fields: dict[str, Any], channel: str, received_on: date, refuse_duplicate: bool = False
) -> tuple[Message, str]:
    code = numbering.new_query_code()
    serial = numbering.next_serial(unit, received_on.year)
    if refuse_duplicate:
        # After the counter row is locked: concurrent submissions to the unit queue here, so the second of two
        # identical ones sees the first (committed) and is refused; the rollback returns its serial.
        _refuse_duplicate(unit, fields["content"])
    number = numbering.number(unit, received_on.year, serial)
    message = Message.objects.create(
        unit=unit,
        number=number,
        year=received_on.year,
        serial=serial,
        query_code_hash=numbering.hash_code(number, code),
        channel=channel,
        submitted_at=timezone.now(),
        received_on=received_on,
        fingerprint=fingerprint(unit, fields["content"]),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    return message, code


def submit_online(*, unit: Org | None, data: dict[str, Any]) -> tuple[Message, str]:
    """A citizen's message through the site or the API. Received the day it arrives."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    try:
        unit = _check_unit(unit)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        fields = clean_message(data, public=True)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    assert unit is not None
    with transaction.atomic():
        message, code = _create(
            actor=None, unit=unit, fields=fields, channel=Channel.WEB, received_on=today(), refuse_duplicate=True
        )
        add_event(message, EventKind.RECEIVED, message.received_on, None, detail="网上留言")
        clock.refresh(message)
        audit.record(
            Action.MESSAGE_SUBMIT,
            obj=message,
            org_code=unit.code,
            to_state=message.status,
            comment=f"{message.number} {kinds.label(message.kind)}",
        )
    return message, code


def enter_message(
    *,
    actor: Any,
    unit: Org,
    data: dict[str, Any],
    channel: str,
    received_on: Any = None,
    external_number: str = "",
    external_deadline: Any = None,
) -> tuple[Message, str]:
    """Staff entry of a phone call, letter, visit or 12345 order (which carries its number and deadline)."""
    require_handle(actor, unit)
    errors: dict[str, list[str]] = {}
    try:
        fields = clean_message(data, public=False)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        fields = {}
    if channel not in Channel.values or channel == Channel.WEB:
        errors["channel"] = ["请选择收到留言的渠道（电话、来信、来访或12345）"]
    day = _date(received_on, "received_on", "收到日期", errors) if received_on else today()
    if day and day > today():
        errors["received_on"] = [f"收到日期不能晚于今天（{today():%Y-%m-%d}）"]
    external_number = one_line(external_number)
    deadline = _date(external_deadline, "external_deadline", "12345办结时限", errors) if external_deadline else None
    if fields.get("kind") == kinds.HOTLINE or channel == Channel.HOTLINE:
        if problem := text_error("external_number", external_number):
            errors["external_number"] = [problem]
        if deadline is None and "external_deadline" not in errors:
            errors["external_deadline"] = ["请填写12345工单载明的办结时限"]
        elif deadline and day and deadline < day:
            errors["external_deadline"] = ["办结时限不能早于收到日期"]
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    with transaction.atomic():
        message, code = _create(actor=actor, unit=unit, fields=fields, channel=channel, received_on=day)
        message.external_number, message.external_deadline = external_number, deadline
        message.save(update_fields=["external_number", "external_deadline"])
        add_event(message, EventKind.RECEIVED, day, actor, detail=f"工作人员录入（{message.get_channel_display()}）")
        clock.refresh(message)
        audit.record(
            Action.MESSAGE_ENTER,
            actor=actor,
            obj=message,
            org_code=unit.code,
            to_state=message.status,
            comment=f"{message.number} {kinds.label(message.kind)}",
            changes={"channel": channel, "external_number": external_number},
        )
    return message, code


def _date(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [f"请填写{label}（格式 YYYY-MM-DD）"]
        return None
