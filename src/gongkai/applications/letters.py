"""Letters (告知书) from the editable templates, as DOCX and PDF in the official-document layout.

Numbering is a short transaction; rendering happens afterwards in the task worker (``tasks.render_letter``).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from gongkai import rules
from gongkai.catalog.files import safe_filename, screen_active_content, strip_metadata
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.documents.chinese import arabic_date, document_number
from gongkai.documents.docx import OfficialLetter, letter_docx, letter_html
from gongkai.documents.pdf import render_pdf
from gongkai.orgs import permissions as perms
from gongkai.workdays.calendar import CalendarNotLoaded, add_workdays

from . import actions, clock, numbering, remedies
from .access import can_edit_templates
from .choices import DECISION_LETTERS, GENERATED_LETTERS, Delivery, EventKind, FeeBasis, InfoForm, LetterKind
from .intake import lock
from .models import Application, ClockEvent, Letter, LetterStatus, LetterTemplate

log = logging.getLogger(__name__)
#: A letter was numbered (or its rendering retried) and committed: ``receivers`` queues ``tasks.render_letter``.
letter_numbered = Signal()
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_TYPES = {".pdf", ".docx", ".doc", ".jpg", ".jpeg", ".png", ".ofd", ".xlsx", ".xls", ".csv"}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{名称}`` placeholders; unknown ones stay visible so an editor notices them."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def template_for(app: Application, kind: str) -> LetterTemplate:
    tpl = (
        LetterTemplate.objects.filter(kind=kind, unit=app.unit).first()
        or LetterTemplate.objects.filter(kind=kind, unit__isnull=True).first()
    )
    if tpl is None:
        raise ValidationFailed(
            {"kind": [f"没有“{LetterKind(kind).label}”的模板，请运行 gongkai applications load-rules"]}
        )
    return tpl


def _last(app: Application, kind: str) -> ClockEvent | None:
    return app.events.filter(kind=kind).order_by("-on", "-id").first()


def _d(day: date | None) -> str:
    return arabic_date(day) if day else "（待定）"


def _delivery_text(app: Application) -> str:
    forms: dict[str, str] = {InfoForm.PAPER: "纸质", InfoForm.ELECTRONIC: "电子", InfoForm.INSPECTION: "查阅"}
    form = forms.get(app.info_form, "")
    if app.info_form == InfoForm.INSPECTION:
        return "请您携带本答复书及身份证明到本机关查阅、抄录"
    how: dict[str, str] = {
        Delivery.POST: "邮寄给您",
        Delivery.EMAIL: "通过电子邮件发送给您",
        Delivery.PICKUP: "请您到本机关领取",
    }
    return f"相关信息以{form}形式{how.get(app.delivery, '提供给您')}"


def appeal_wording(app: Application, on: date | None = None) -> str:
    """救济途径: the row of ``remedies.yaml`` for the case's result on its reply date (复议前置 for 不予公开
    since the 2023 行政复议法, Art. 23(1)(4) and 23(2)), with the ``reconsideration`` and ``litigation``
    periods in force on that date. A case not yet answered uses the general row on the letter's date ``on``."""
    remedy, day = remedies.for_application(app, on)
    return remedy.wording(on=day, reconsideration_body=remedies.reconsideration_body(app))


def context(app: Application, kind: str, on: date) -> dict[str, str]:
    unit = app.unit
    state = clock.state_of(app)
    values = {
        "申请人": app.name,
        "申请编号": app.tracking_number,
        "提交日期": _d(app.submitted_on),
        "收到日期": _d(app.received_on),
        "申请内容": app.description[:120].replace("\n", " "),
        "单位": unit.name,
        "联系电话": unit.phone,
        "地址": unit.address,
        "获取方式": _delivery_text(app),
        "救济途径": appeal_wording(app, on) if kind in DECISION_LETTERS else "",
        # The periods a letter quotes come from the rules table, so the editable templates never retype them.
        "征求意见时限": rules.get("consultation", on=on).text,
        "缴费时限": rules.get("fee_payment", on=on).text,
    }
    reply = getattr(app, "reply", None)
    if reply is not None:
        extra = {
            "理由": reply.content or "",
            "转送机关": f"该政府信息由{reply.referred_agency}负责公开，您可以向其提出申请。"
            if reply.referred_agency
            else "",
        }
        if reply.proactive_location:
            extra["获取方式"] = f"该信息已主动公开，您可以通过{reply.proactive_location}获取"
        values.update(extra)
        values["答复内容"] = fill(reply.result.wording, {**values, **extra})
        values["法律依据"] = reply.result.article
    if (ev := _last(app, EventKind.CORRECTION_REQUESTED)) is not None:
        values["补正事项"] = ev.detail
        values["补正期限"] = _d(date.fromisoformat(ev.data["due"])) if ev.data.get("due") else "（待定）"
    if (ev := _last(app, EventKind.EXTENSION)) is not None:
        events = list(app.events.order_by("on", "id"))
        before = clock.compute(app, [e for e in events if e.pk != ev.pk and (e.on, e.pk) < (ev.on, ev.pk)])
        values.update(
            {
                "延长天数": str(ev.days),
                "延长理由": ev.detail,
                "原答复期限": _d(before.due_date),
                "延期后期限": _d(state.due_date),
            }
        )
    if (ev := _last(app, EventKind.CONSULTATION_STARTED)) is not None:
        period = clock.consultation_rule(ev.party)
        values.update(
            {
                "第三方": ev.detail,
                "征求事项": ev.data.get("matter") or "申请公开的信息",
                "征求意见时限": period.text,
                "回复期限": _d(state.consultation_due or _add(ev.on, period.workdays)),
            }
        )
    fee = app.fee_notices.order_by("-issued_on", "-id").first()
    if fee is not None:
        values.update(
            {
                "收费方式": FeeBasis(fee.basis).label,
                "计算过程": fee.breakdown,
                "金额": f"{fee.amount:.2f}",
                "缴费期限": _d(_add(fee.delivered_on, rules.get("fee_payment").workdays)),
                "缴费方式": f"持本通知书到{unit.name}政务服务窗口缴纳，或按本机关告知的非税收入缴款方式缴纳",
            }
        )
    return values


def _add(day: date, n: int) -> date | None:
    try:
        return add_workdays(day, n)
    except CalendarNotLoaded:
        return None


def build(app: Application, kind: str, on: date, number: str) -> OfficialLetter:
    if kind in DECISION_LETTERS and getattr(app, "reply", None) is None:
        raise ValidationFailed({"kind": ["请先作出答复（选择办理结果），再生成答复告知书"]})
    tpl = template_for(app, kind)
    values = context(app, kind, on)
    paragraphs = [p for p in (fill(line, values).strip() for line in tpl.body.splitlines()) if p]
    notes = [f"联系电话：{app.unit.phone}"] if app.unit.phone else []
    return OfficialLetter(
        title=tpl.title,
        number=number,
        salutation=fill(tpl.salutation, values),
        paragraphs=paragraphs,
        issuer=app.unit.name,
        day=on,
        notes=notes,
    )


def number_prefix(app: Application, kind: str) -> str:
    tpl = template_for(app, kind)
    return tpl.number_prefix or f"{app.unit.display_name}政公开"


def generate(*, actor: Any, application: Application, kind: str, on: Any = None, request_key: str = "") -> Letter:
    """Number the letter 前缀〔年〕N号, freeze its text and attach it to the case; the worker renders it.

    One short transaction takes the number, stores the letter (``status`` pending, text in ``content``)
    and records the audit event; DOCX and PDF are rendered after commit by ``tasks.render_letter``, so the
    numbering lock is never held while a PDF renders. A double click never makes two letters: the form's
    ``request_key`` finds the first one, and while a letter of the same kind and date is still being
    rendered (or failed) for the case, asking again returns that letter instead of taking a new number.
    """
    actions.permit("letter", application, actor)
    if kind not in dict(GENERATED_LETTERS):
        raise ValidationFailed({"kind": ["请选择文书类型（提供的政府信息请用“上传文书”）"]})
    day = on if isinstance(on, date) else (date.fromisoformat(on) if on else timezone.localdate())
    key = (request_key or "").strip()[:64]
    build(application, kind, day, "")  # validate before a number is taken
    with transaction.atomic():
        app = lock(application)  # one generation per case at a time: the checks below see every earlier one
        actions.check("letter", app, actor)
        earlier = Letter.objects.filter(application=app, request_key=key).first() if key else None
        if earlier is not None and (earlier.kind, earlier.issued_on) != (kind, day):
            # The same form sent again for another letter (a page restored by the back button): not a repeat.
            earlier, key = None, ""
        if earlier is None:
            earlier = (
                Letter.objects.filter(application=app, kind=kind, issued_on=day)
                .exclude(status=LetterStatus.DONE)
                .order_by("-id")
                .first()
            )
        if earlier is not None:
            if earlier.status == LetterStatus.FAILED:
                _requeue(earlier)
            return earlier
        serial = numbering.next_serial(app.unit, day.year, "letter")
        number = document_number(number_prefix(app, kind), day.year, serial)
        letter = build(app, kind, day, number)
        row = Letter.objects.create(
            application=app,
            kind=kind,
            title=letter.title,
            number=number,
            issued_on=day,
            created_by=actor,
            status=LetterStatus.PENDING,
            content=letter.as_dict(),
            request_key=key,
        )
        audit.record(
            Action.APPLICATION_LETTER,
            actor=actor,
            obj=app,
            org_code=app.unit.code,
            comment=f"{letter.title} {number}",
            changes={"kind": kind, "letter": row.pk},
        )
        letter_id, unit_id = row.pk, app.unit_id
        transaction.on_commit(lambda: letter_numbered.send(sender=Letter, letter_id=letter_id, unit_id=unit_id))
    return row


def _requeue(row: Letter) -> None:
    Letter.objects.filter(pk=row.pk).update(status=LetterStatus.PENDING, error="")
    row.status, row.error = LetterStatus.PENDING, ""
    letter_id, unit_id = row.pk, row.application.unit_id
    transaction.on_commit(lambda: letter_numbered.send(sender=Letter, letter_id=letter_id, unit_id=unit_id))


def retry(*, actor: Any, letter: Letter) -> Letter:
    """重新生成 a letter whose rendering failed or never ran: same number, same frozen text."""
    actions.permit("letter", letter.application, actor)  # the same people who generate letters
    with transaction.atomic():
        row = Letter.objects.select_for_update().select_related("application__unit").get(pk=letter.pk)
        if row.status == LetterStatus.DONE or not row.content:
            return row
        _requeue(row)
        audit.record(
            Action.APPLICATION_LETTER_RETRY,
            actor=actor,
            obj=row.application,
            org_code=row.application.unit.code,
            comment=f"{row.title} {row.number}",
            changes={"letter": row.pk},
        )
    return row


def render(letter_id: int) -> str:
    """Render a numbered letter to DOCX and PDF (the task body): outside any transaction, then one short
    update. Idempotent: a rendered letter is left alone; a duplicate run removes its own files."""
    row = Letter.objects.select_related("application").filter(pk=letter_id).first()
    if row is None or row.status == LetterStatus.DONE or not row.content:
        return "skipped"
    letter = OfficialLetter.from_dict(row.content)
    try:
        docx_bytes = letter_docx(letter)
        pdf_bytes = render_pdf(letter_html(letter))
    except DomainError as exc:
        _failed(row, exc.message)
        return "failed"
    except Exception as exc:  # the worker must survive anything a renderer does
        log.exception("rendering letter %s failed", row.pk)
        _failed(row, f"生成时出错（{type(exc).__name__}），请重新生成或联系管理员")
        return "failed"
    stem = f"{row.application.tracking_number}-{row.kind}-{row.pk}"
    row.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    row.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    with transaction.atomic():
        done = (
            Letter.objects.filter(pk=row.pk)
            .exclude(status=LetterStatus.DONE)
            .update(docx=row.docx.name, pdf=row.pdf.name, status=LetterStatus.DONE, error="")
        )
    if not done:
        row.docx.delete(save=False)
        row.pdf.delete(save=False)
    return "done" if done else "skipped"


def _failed(row: Letter, message: str) -> None:
    with transaction.atomic():
        Letter.objects.filter(pk=row.pk, status=LetterStatus.PENDING).update(
            status=LetterStatus.FAILED, error=message[:300]
        )


def upload(*, actor: Any, application: Application, kind: str, title: str, upload: Any, on: Any = None) -> Letter:
    """Attach a signed/stamped scan or an edited Word file the officer made outside the platform."""
    actions.permit("upload", application, actor)
    name = getattr(upload, "name", "") or ""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    errors: dict[str, list[str]] = {}
    if kind not in LetterKind.values:
        errors["kind"] = ["请选择文书类型"]
    if suffix not in UPLOAD_TYPES:
        errors["upload"] = ["只能上传 PDF、Word、Excel、CSV、OFD 或图片文件"]
    elif getattr(upload, "size", 0) > MAX_UPLOAD_BYTES:
        errors["upload"] = ["文件不能超过 20 MB"]
    if errors:
        raise ValidationFailed(errors)
    # Macros, embedded objects, PDF scripts, polyglots (issue 17 item 7), as for an entry's attachments.
    try:
        data, removed = screen_active_content(safe_filename(name), upload.read())
        data = strip_metadata(safe_filename(name), data)
    except ValidationFailed as exc:
        raise ValidationFailed({"upload": [exc.message]}) from None
    day = on if isinstance(on, date) else (date.fromisoformat(on) if on else timezone.localdate())
    row = Letter(
        application=application,
        kind=kind,
        title=(title or LetterKind(kind).label)[:100],
        issued_on=day,
        created_by=actor,
    )
    # Up to 20 MB: stored before the transaction, removed again if it fails.
    row.uploaded.save(f"{application.tracking_number}-{kind}{suffix}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            actions.check("upload", application, actor)
            row.save()
            audit.record(
                Action.APPLICATION_LETTER_UPLOAD,
                actor=actor,
                obj=application,
                org_code=application.unit.code,
                comment=row.title + (f"（上传时已移除：{'、'.join(removed)}）" if removed else ""),
                changes={"kind": kind, "letter": row.pk, **({"removed": list(removed)} if removed else {})},
            )
    except BaseException:
        row.uploaded.delete(save=False)
        raise
    return row


def save_template(
    *, actor: Any, unit: Any, kind: str, title: str, number_prefix: str, salutation: str, body: str
) -> LetterTemplate:
    """The unit's own wording of one letter kind (the platform default stays for the other units)."""

    perms.require(can_edit_templates(actor, unit), "只有公开办管理员可以修改告知书模板")
    if kind not in LetterKind.values:
        raise ValidationFailed({"kind": ["未知的文书类型"]})
    if not body.strip() or not title.strip():
        raise ValidationFailed({"body": ["标题和正文不能为空"]})
    with transaction.atomic():
        row = LetterTemplate.objects.filter(unit=unit, kind=kind).values("title", "body").first()
        before: dict[str, Any] = dict(row) if row else {}
        obj, _ = LetterTemplate.objects.update_or_create(
            unit=unit,
            kind=kind,
            defaults={
                "title": title.strip(),
                "number_prefix": number_prefix.strip(),
                "salutation": salutation.strip(),
                "body": body.strip(),
                "updated_by": actor,
            },
        )
        audit.record(
            Action.APPLICATION_TEMPLATE,
            actor=actor,
            obj=obj,
            org_code=unit.code,
            changes=audit.diff(before, {"title": obj.title, "body": obj.body}),
        )
    return obj
