"""Handling a message: 受理 / 不予受理 → 分办 (转办, 退回) → 办理 (拟写答复) → 审核/签发 → 答复 → 公开 / 不予公开, and
the submitter's 评价 (不满意 reopens once for 重办). Each step is one service: keyword-only, ``actor=`` first, one
transaction on the locked message, the transition table asked inside it, one ledger event and one audit event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import InvalidTransition, NotAllowed, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind

from . import actions, clock, kinds, numbering, publicity
from .choices import EventKind, ReplyStatus, Satisfaction, Status
from .intake import add_event, today
from .models import KindSetting, Message, Rating, Reply
from .signals import public_messages_changed
from .validation import block, one_line, text_error


def lock(message: Message) -> Message:
    # Lock the message row only (the office is a nullable join, which PostgreSQL cannot lock).
    return Message.objects.select_for_update(of=("self",)).select_related("unit", "office").get(pk=message.pk)


def _reason(value: Any, label: str = "理由") -> str:
    text = one_line(value)
    if message := text_error("reason", text):
        raise ValidationFailed({"reason": [message.replace("理由", label, 1)]})
    return text


def _audit(action: Action, actor: Any, message: Message, before: str, **kw: Any) -> None:
    audit.record(
        action, actor=actor, obj=message, org_code=message.unit.code, from_state=before, to_state=message.status, **kw
    )


def _move(message: Message, status: str) -> str:
    before = message.status
    message.status = status
    message.save(update_fields=["status"])
    return before


def needs_review(unit: Org, kind: str) -> bool:
    """The unit's own setting if it made one, else the kind's default (data/kinds.yaml)."""
    setting = KindSetting.objects.filter(unit=unit, kind=kind).first()
    return setting.review_required if setting else kinds.get(kind).review


def offices(unit: Org) -> list[Org]:
    """Where a message of ``unit`` may be sent: the unit itself and its offices and villages."""
    below = Org.objects.filter(path__startswith=f"{unit.path}{unit.pk}/", is_active=True)
    return [unit, *[o for o in below if o.kind in (OrgKind.OFFICE, OrgKind.VILLAGE)]]


def _office(unit: Org, office: Any) -> Org:
    found: Org | None
    if isinstance(office, Org):
        found = office
    else:
        found = Org.objects.filter(pk=office).first() if str(office or "").isdigit() else None
    if found is None or found.pk not in {o.pk for o in offices(unit)}:
        raise ValidationFailed({"office": ["请选择本单位的科室、站所或村（社区）"]})
    return found


def accept(*, actor: Any, message: Message) -> Message:
    actions.permit("accept", message, actor)
    with transaction.atomic():
        m = lock(message)
        actions.check("accept", m, actor)
        before = _move(m, Status.ACCEPTED)
        add_event(m, EventKind.ACCEPTED, today(), actor)
        _audit(Action.MESSAGE_ACCEPT, actor, m, before)
    return m


def reject(*, actor: Any, message: Message, reason: str, where: str = "") -> Message:
    """不予受理 with the reason and, when outside the unit's remit, where to go instead (shown to the submitter)."""
    actions.permit("reject", message, actor)
    text = _reason(reason, "不予受理理由")
    where = one_line(where)
    if where and (problem := text_error("reason", where)):
        raise ValidationFailed({"where": [problem.replace("理由", "建议反映渠道", 1)]})
    with transaction.atomic():
        m = lock(message)
        actions.check("reject", m, actor)
        before = _move(m, Status.REJECTED)
        add_event(m, EventKind.REJECTED, today(), actor, detail=text, data={"where": where})
        _audit(Action.MESSAGE_REJECT, actor, m, before, comment=text, changes={"where": where})
    return m


def assign(*, actor: Any, message: Message, office: Any) -> Message:
    actions.permit("assign", message, actor)
    target = _office(message.unit, office)
    with transaction.atomic():
        m = lock(message)
        actions.check("assign", m, actor)
        m.office = target
        m.save(update_fields=["office"])
        before = _move(m, Status.HANDLING)
        add_event(m, EventKind.ASSIGNED, today(), actor, detail=target.name, data={"office": target.pk})
        _audit(Action.MESSAGE_ASSIGN, actor, m, before, changes={"office": target.name})
    return m


def transfer(*, actor: Any, message: Message, office: Any, reason: str) -> Message:
    """转办: from one office of the unit to another, with the reason."""
    actions.permit("transfer", message, actor)
    target = _office(message.unit, office)
    text = _reason(reason, "转办理由")
    with transaction.atomic():
        m = lock(message)
        actions.check("transfer", m, actor)
        if m.office_id == target.pk:
            raise ValidationFailed({"office": ["请选择另一个承办科室或村"]})
        old = m.office.name if m.office else ""
        m.office = target
        m.save(update_fields=["office"])
        add_event(m, EventKind.TRANSFERRED, today(), actor, detail=f"{old}→{target.name}：{text}")
        _audit(Action.MESSAGE_TRANSFER, actor, m, m.status, comment=text, changes={"office": [old, target.name]})
    return m


def return_to_unit(*, actor: Any, message: Message, reason: str) -> Message:
    """退回: the office gives the message back for another 分办 (not its remit), with the reason."""
    actions.permit("return", message, actor)
    text = _reason(reason, "退回理由")
    with transaction.atomic():
        m = lock(message)
        actions.check("return", m, actor)
        old = m.office.name if m.office else ""
        m.office = None
        m.save(update_fields=["office"])
        before = _move(m, Status.ACCEPTED)
        add_event(m, EventKind.RETURNED, today(), actor, detail=f"{old}：{text}")
        _audit(Action.MESSAGE_RETURN, actor, m, before, comment=text)
    return m


def current_reply(message: Message) -> Reply | None:
    return message.replies.filter(round=message.reopened + 1).first()


def draft(*, actor: Any, message: Message, text: str) -> Reply:
    """办理: the answering office's reply. It goes to the leader when the kind (or the unit) requires review,
    else it is ready to send."""
    actions.permit("draft", message, actor)
    body = block(text)
    if problem := text_error("text", body, minimum=5):
        raise ValidationFailed({"text": [problem]})
    with transaction.atomic():
        m = lock(message)
        actions.check("draft", m, actor)
        review = needs_review(m.unit, m.kind)
        reply, _ = Reply.objects.update_or_create(
            message=m,
            round=m.reopened + 1,
            defaults={
                "office": m.office or m.unit,
                "text": body,
                "status": ReplyStatus.REVIEWING if review else ReplyStatus.APPROVED,
                "drafted_by": actor,
                "drafted_at": timezone.now(),
                "reviewer": None,
                "reviewed_at": None,
            },
        )
        before = _move(m, Status.REVIEWING if review else Status.APPROVED)
        add_event(m, EventKind.DRAFTED, today(), actor, detail="报领导审核" if review else "")
        _audit(Action.MESSAGE_DRAFT, actor, m, before, changes={"review": review})
    return reply


def approve(*, actor: Any, message: Message, text: str = "", comment: str = "") -> Reply:
    """审核/签发 by a leader of the unit, who may correct the text."""
    actions.permit("approve", message, actor)
    body = block(text)
    if body and (problem := text_error("text", body, minimum=5)):
        raise ValidationFailed({"text": [problem]})
    note = one_line(comment)
    if note and (problem := text_error("reason", note, required=False)):
        raise ValidationFailed({"comment": [problem.replace("理由", "审核意见", 1)]})
    with transaction.atomic():
        m = lock(message)
        actions.check("approve", m, actor)
        reply = current_reply(m)
        assert reply is not None
        changed = bool(body) and body != reply.text
        if changed:
            reply.text = body
        reply.status, reply.reviewer, reply.reviewed_at = ReplyStatus.APPROVED, actor, timezone.now()
        reply.review_comment = note
        reply.save()
        before = _move(m, Status.APPROVED)
        add_event(m, EventKind.APPROVED, today(), actor, detail=note)
        _audit(Action.MESSAGE_APPROVE, actor, m, before, comment=note, changes={"text_changed": changed})
    return reply


def review_return(*, actor: Any, message: Message, reason: str) -> Reply:
    actions.permit("review_return", message, actor)
    text = _reason(reason, "退回理由")
    with transaction.atomic():
        m = lock(message)
        actions.check("review_return", m, actor)
        reply = current_reply(m)
        assert reply is not None
        reply.status, reply.reviewer, reply.reviewed_at, reply.review_comment = (
            ReplyStatus.RETURNED,
            actor,
            timezone.now(),
            text,
        )
        reply.save()
        before = _move(m, Status.HANDLING)
        add_event(m, EventKind.REVIEW_RETURNED, today(), actor, detail=text)
        _audit(Action.MESSAGE_REVIEW_RETURN, actor, m, before, comment=text)
    return reply


def reply(*, actor: Any, message: Message) -> Message:
    """答复: the approved reply goes to the submitter (the tracking page shows it from now on)."""
    actions.permit("reply", message, actor)
    with transaction.atomic():
        m = lock(message)
        actions.check("reply", m, actor)
        answer = current_reply(m)
        assert answer is not None and answer.status == ReplyStatus.APPROVED
        answer.status, answer.sent_on = ReplyStatus.SENT, today()
        answer.save(update_fields=["status", "sent_on"])
        before = _move(m, Status.REPLIED)
        add_event(m, EventKind.REPLIED, answer.sent_on, actor, detail=answer.office.name)
        state = clock.refresh(m)
        _audit(Action.MESSAGE_REPLY, actor, m, before, changes={"replied_on": answer.sent_on, "late": state.overdue()})
    return m


def publishable_reason(message: Message) -> str | None:
    """Why this message can never be published, or None."""
    if not kinds.get(message.kind).publishable:
        return f"“{kinds.label(message.kind)}”类留言的答复不公开"
    if not message.publish_consent:
        return "留言人未同意公开，不能公开"
    return None


def publish(*, actor: Any, message: Message, title: str = "", content: str = "", reply_text: str = "") -> Message:
    """公开 in 留言选登: the masked copy (or the staff's edit of it), screened first; nothing is published while
    the scanner still finds a personal value in it."""
    actions.permit("publish", message, actor)
    with transaction.atomic():
        m = lock(message)
        actions.check("publish", m, actor)
        if m.published_on:
            raise InvalidTransition("该留言已公开")
        if reason := publishable_reason(m):
            raise InvalidTransition(reason)
        answer = m.replies.filter(status=ReplyStatus.SENT).order_by("-round").first()
        assert answer is not None
        default = publicity.default_copy(m, answer)
        copy = publicity.PublicCopy(
            title=one_line(title) or default.title,
            content=block(content) or default.content,
            reply=block(reply_text) or default.reply,
            name=default.name,
        )
        for field, value in (("title", copy.title), ("content", copy.content), ("text", copy.reply)):
            if problem := text_error(field, value):
                raise ValidationFailed({field: [problem]})
        if reasons := publicity.blocking(copy, m):
            raise ValidationFailed({"__all__": reasons})
        m.public_title, m.public_content, m.public_reply, m.public_name = (
            copy.title,
            copy.content,
            copy.reply,
            copy.name,
        )
        m.public_office, m.published_on, m.withheld_reason = answer.office.name, today(), ""
        m.save()
        add_event(m, EventKind.PUBLISHED, m.published_on, actor)
        _audit(Action.MESSAGE_PUBLISH, actor, m, m.status, changes={"published_on": m.published_on})
        unit_id = m.unit_id
        transaction.on_commit(lambda: public_messages_changed.send(sender=Message, unit_id=unit_id))
    return m


def withhold(*, actor: Any, message: Message, reason: str) -> Message:
    """不予公开 with a reason (abuse, a personal matter); takes a published message down."""
    actions.permit("withhold", message, actor)
    text = _reason(reason, "不予公开理由")
    with transaction.atomic():
        m = lock(message)
        actions.check("withhold", m, actor)
        was_public = m.published_on is not None
        m.withheld_reason, m.published_on = text, None
        m.public_title = m.public_content = m.public_reply = m.public_name = m.public_office = ""
        m.save()
        add_event(m, EventKind.WITHHELD, today(), actor, detail=text)
        _audit(Action.MESSAGE_WITHHOLD, actor, m, m.status, comment=text, changes={"was_public": was_public})
        unit_id = m.unit_id
        if was_public:
            transaction.on_commit(lambda: public_messages_changed.send(sender=Message, unit_id=unit_id))
    return m


def rate(*, message: Message, code: str, value: str, comment: str = "") -> Rating:
    """The submitter's 评价 of a reply (with the query code). 不满意 reopens the message once for 重办: a new
    round with its own reply period; a second 不满意 closes it."""
    if not numbering.code_matches(message.number, code, message.query_code_hash):
        raise NotAllowed("留言编号或查询码不正确")
    if value not in Satisfaction.values:
        raise ValidationFailed({"value": ["请选择满意、基本满意或不满意"]})
    note = one_line(comment)
    if problem := text_error("comment", note, required=False):
        raise ValidationFailed({"comment": [problem]})
    with transaction.atomic():
        m = lock(message)
        if m.status != Status.REPLIED:
            raise InvalidTransition("该留言尚未答复或已评价，不能评价", field="value")
        rating = Rating.objects.create(message=m, round=m.reopened + 1, value=value, comment=note)
        reopen = value == Satisfaction.UNSATISFIED and m.reopened == 0
        add_event(m, EventKind.RATED, today(), None, detail=Satisfaction(value).label)
        if reopen:
            m.reopened += 1
            m.save(update_fields=["reopened"])
            before = _move(m, Status.HANDLING)
            add_event(m, EventKind.REOPENED, today(), None, detail=note or "留言人不满意，重新办理")
            clock.refresh(m)
        else:
            before = _move(m, Status.CLOSED)
        _audit(Action.MESSAGE_RATE, None, m, before, comment=note, changes={"value": value, "reopened": reopen})
    return rating


def set_review(*, actor: Any, unit: Org, kind: str, required: bool) -> KindSetting:
    """The unit's choice of which kinds need leader review (公开办管理员)."""
    perms.require(perms.can_manage_unit(actor, unit), "只有本单位的公开办管理员可以设置哪些留言需要领导审核")
    kinds.get(kind)
    with transaction.atomic():
        setting, _ = KindSetting.objects.update_or_create(unit=unit, kind=kind, defaults={"review_required": required})
        audit.record(
            Action.MESSAGE_KIND_SETTING,
            actor=actor,
            obj=setting,
            org_code=unit.code,
            changes={"kind": kind, "review_required": required},
        )
    return setting
