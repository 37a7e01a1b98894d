"""Writes on entries: drafting, review, sign-off, publication, withdrawal, validity, attachments.

Each function takes the acting user, asks ``lifecycle.check`` (the one table of who may do what in which
state) inside the transaction that locks the entry, writes and records one audit event. Changes of content
(create, edit, attachments) are announced after commit (``entry_content_changed``) for screening to scan.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import gates, lifecycle
from .fields import (
    category_error,
    clean_body,
    clean_document_number,
    clean_summary,
    clean_title,
    formed_date_error,
    validity_error,
)
from .files import check_upload
from .indexing import assign_index_number
from .models import Attachment, DisclosureMode, Entry, EntryStatus, EntryVersion, Genre, Validity
from .signals import entry_content_changed, entry_submitted, public_entry_changed
from .text import plain
from .timeliness import lag_workdays

EDITABLE_FIELDS = (
    "category",
    "publisher",
    "title",
    "summary",
    "body",
    "document_number",
    "genre",
    "topic_words",
    "formed_date",
    "disclosure_mode",
    "withhold_ground",
    "effective_date",
    "decision_count",
)
SNAPSHOT_FIELDS = (*EDITABLE_FIELDS, "index_number", "validity", "invalid_date", "superseded_by", "status")


def today() -> date:
    return timezone.localdate()


def _clean_fields(unit: Org, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate and normalise entry fields; collect every error before raising."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        errors["__all__"] = [f"不可修改的字段：{', '.join(sorted(unknown))}"]

    def present(key: str) -> bool:
        return key in data or not partial

    if present("title"):
        out["title"], message = clean_title(data.get("title"))
        if message:
            errors["title"] = [message]
    if present("category"):
        category = data.get("category")
        if message := category_error(unit, category):
            errors["category"] = [message]
        out["category"] = category
    if present("publisher"):
        publisher = data.get("publisher") or unit
        if not isinstance(publisher, Org) or not (
            publisher.pk == unit.pk or publisher.path.startswith(f"{unit.path}{unit.pk}/")
        ):
            errors["publisher"] = ["发布机构必须是本单位或其下属机构"]
        out["publisher"] = publisher
    if present("formed_date"):
        formed = data.get("formed_date")
        if isinstance(formed, str):
            try:
                formed = date.fromisoformat(formed)
            except ValueError:
                formed = None
                errors["formed_date"] = ["成文日期格式应为 YYYY-MM-DD"]
        if "formed_date" not in errors and (message := formed_date_error(formed, today())):
            errors["formed_date"] = [message]
        out["formed_date"] = formed
    if present("effective_date"):
        out["effective_date"] = data.get("effective_date") or None
    if present("summary"):
        out["summary"], message = clean_summary(data.get("summary"))
        if message:
            errors["summary"] = [message]
    if present("body"):
        out["body"] = clean_body(data.get("body"))
    if present("document_number"):
        out["document_number"], message = clean_document_number(data.get("document_number"))
        if message:
            errors["document_number"] = [message]
    if present("genre"):
        genre = data.get("genre") or Genre.NOTICE
        if genre not in Genre.values:
            errors["genre"] = ["体裁无效"]
        out["genre"] = genre
    if present("decision_count"):
        count = data.get("decision_count")
        if count in (None, ""):
            out["decision_count"] = None
        else:
            try:
                out["decision_count"] = int(str(count).strip())
                if not 0 <= out["decision_count"] <= 1_000_000:
                    raise ValueError
            except ValueError:
                errors["decision_count"] = ["所列处理决定数量应为 0 或正整数（如本期公示 30 项行政许可决定，填 30）"]
    if present("topic_words"):
        words = plain(str(data.get("topic_words") or "")).replace("，", " ").replace(",", " ")
        out["topic_words"] = " ".join(words.split())[:200]
    if present("disclosure_mode"):
        mode = data.get("disclosure_mode") or DisclosureMode.PROACTIVE
        if mode not in DisclosureMode.values:
            errors["disclosure_mode"] = ["公开方式无效"]
        out["disclosure_mode"] = mode
        ground = plain(str(data.get("withhold_ground") or ""))
        if mode == DisclosureMode.WITHHELD and not ground:
            errors["withhold_ground"] = ["不予公开必须注明法定依据（如《条例》第十四条）"]
        out["withhold_ground"] = ground
    if errors:
        raise ValidationFailed(errors)
    return out


def field_errors(unit: Org, data: dict[str, Any]) -> dict[str, list[str]]:
    """The errors ``create_draft`` would report for the given fields (only those present are checked)."""
    try:
        _clean_fields(unit, data, partial=True)
    except ValidationFailed as exc:
        return exc.errors
    return {}


def _snapshot(entry: Entry) -> dict[str, Any]:
    snap = {}
    for field in SNAPSHOT_FIELDS:
        value = getattr(entry, f"{field}_id" if field in ("category", "publisher", "superseded_by") else field)
        snap[field] = value
    return audit._jsonable(snap)


def new_version(entry: Entry, *, actor: Any, reason: str) -> EntryVersion:
    """The version row (unsaved) that keeps ``entry``'s public fields as they are now."""
    return EntryVersion(entry=entry, number=entry.version, snapshot=_snapshot(entry), reason=reason, created_by=actor)


def _lock(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("unit", "publisher", "category").get(pk=entry.pk)


def _notify_public(entry: Entry, reason: str, category_ids: set[int]) -> None:
    entry_id = entry.pk
    ids = {i for i in category_ids if i}
    transaction.on_commit(
        lambda: public_entry_changed.send(sender=Entry, entry_id=entry_id, reason=reason, category_ids=ids)
    )


def _notify_content(entry: Entry, reason: str) -> None:
    entry_id = entry.pk
    transaction.on_commit(lambda: entry_content_changed.send(sender=Entry, entry_id=entry_id, reason=reason))


def create_draft(*, actor: Any, unit: Org, **data: Any) -> Entry:
    publisher = data.get("publisher") or unit
    perms.require(perms.can_draft_in(actor, unit, publisher), "您不能在该单位起草信息")
    fields = _clean_fields(unit, data)
    with transaction.atomic():
        entry = Entry(unit=unit, created_by=actor, status=EntryStatus.DRAFT, **fields)
        entry.save()
        audit.record(
            Action.ENTRY_CREATE,
            actor=actor,
            obj=entry,
            org_code=unit.code,
            to_state=entry.status,
            changes=audit.diff({}, _snapshot(entry)),
        )
        _notify_content(entry, "create")
    return entry


def update_draft(*, actor: Any, entry: Entry, **data: Any) -> Entry:
    with transaction.atomic():
        entry = _lock(entry)
        lifecycle.check("edit_draft", entry, actor)
        fields = _clean_fields(entry.unit, data, partial=True)
        if "publisher" in fields:
            perms.require(perms.can_draft_in(actor, entry.unit, fields["publisher"]), "您不能以该机构名义发布")
        before = _snapshot(entry)
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.save()
        audit.record(
            Action.ENTRY_UPDATE,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            changes=audit.diff(before, _snapshot(entry)),
        )
        _notify_content(entry, "edit")
    return entry


def _transition(actor: Any, entry: Entry, name: str, comment: str = "") -> tuple[Entry, str]:
    """Lock the entry, ask the table (state, role, reason) and move it to the row's target (not saved)."""
    entry = _lock(entry)
    t = lifecycle.transition(name, entry, actor, comment)
    previous = entry.status
    entry.status = t.target
    return entry, previous


def submit_for_review(*, actor: Any, entry: Entry, comment: str = "") -> Entry:
    """The drafter hands the entry to 保密审查 (2019 Regulation Art. 17: reviewed before it is published)."""
    with transaction.atomic():
        entry, previous = _transition(actor, entry, "submit", comment)
        # Required catalog fields (Art. 12: 索引、名称、内容概述、生成日期) are checked again here.
        _clean_fields(entry.unit, {k: getattr(entry, k) for k in EDITABLE_FIELDS})
        entry.return_reason = ""
        entry.save(update_fields=["status", "return_reason", "updated_at"])
        audit.record(
            Action.ENTRY_SUBMIT,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            from_state=previous,
            to_state=entry.status,
            comment=comment,
        )
        entry_id = entry.pk
        transaction.on_commit(lambda: entry_submitted.send(sender=Entry, entry_id=entry_id))
    return entry


def review_pass(*, actor: Any, entry: Entry, comment: str = "") -> Entry:
    """保密审查 passed (Art. 17): the publication gates (screening's current verdict) must not object."""
    gates.prepare(entry)  # screening scans what is missing here, not while the entry is locked
    with transaction.atomic():
        entry, previous = _transition(actor, entry, "review_pass", comment)
        if reasons := gates.blocking_reasons(entry):
            raise ValidationFailed({"screening": reasons})
        entry.save(update_fields=["status", "updated_at"])
        audit.record(
            Action.ENTRY_REVIEW_PASS,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            from_state=previous,
            to_state=entry.status,
            comment=comment,
        )
    return entry


def _return(actor: Any, entry: Entry, name: str, action: Action, comment: str) -> Entry:
    with transaction.atomic():
        entry, previous = _transition(actor, entry, name, comment)
        entry.return_reason = comment.strip()
        entry.save(update_fields=["status", "return_reason", "updated_at"])
        audit.record(
            action,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            from_state=previous,
            to_state=entry.status,
            comment=comment,
        )
    return entry


def review_return(*, actor: Any, entry: Entry, comment: str) -> Entry:
    """保密审查 finds a problem: back to the drafter with the reason (Art. 17)."""
    return _return(actor, entry, "review_return", Action.ENTRY_REVIEW_RETURN, comment)


def sign_return(*, actor: Any, entry: Entry, comment: str) -> Entry:
    """审签 refuses: back to the drafter with the reason (Art. 17)."""
    return _return(actor, entry, "sign_return", Action.ENTRY_SIGN_RETURN, comment)


def sign_and_publish(*, actor: Any, entry: Entry, comment: str = "") -> Entry:
    """审签: the signing leader approves; the entry is published and gets its index number."""
    return _publish(actor, entry, comment, None)


def publish_as_of(*, actor: Any, entry: Entry, published_at: datetime, comment: str = "") -> Entry:
    """``sign_and_publish`` with a publication moment in the past, for seeding history (``gongkai demo``).

    Everything else is the ordinary sign-off: the signer's permission, the publication gates, the index
    number (of ``published_at``'s year), the working-day lag, version 1, the audit event (which records
    ``published_at``, so a back-dated publication is visible as such) and the after-commit signal. No view
    or API handler calls it. ``published_at`` may not be in the future, before the formed date, or before
    any publication the unit already has: seeding runs oldest first, so index numbers stay in publication
    order.
    """
    if timezone.is_naive(published_at):
        raise ValidationFailed({"published_at": ["发布时间须带时区"]})
    if published_at > timezone.now():
        raise ValidationFailed({"published_at": ["发布时间不能晚于现在"]})
    return _publish(actor, entry, comment, published_at)


def _publish(actor: Any, entry: Entry, comment: str, published_at: datetime | None) -> Entry:
    gates.prepare(entry)  # slow checks first: the transaction below holds the index-number lock
    with transaction.atomic():
        entry, previous = _transition(actor, entry, "sign_publish", comment)
        if reasons := gates.blocking_reasons(entry):
            raise ValidationFailed({"screening": reasons})
        now = published_at or timezone.now()
        local_today = timezone.localdate(now)
        if entry.formed_date > local_today:
            raise ValidationFailed({"formed_date": ["成文日期晚于发布日期，请核对成文日期"]})
        changes: dict[str, Any] = {}
        if published_at is not None:
            later = Entry.objects.filter(unit=entry.unit, published_at__gt=published_at).exclude(pk=entry.pk)
            if later.exists():
                raise ValidationFailed({"published_at": ["本单位已有更晚发布的信息，按历史日期发布须从早到晚进行"]})
            changes["published_at"] = [None, published_at]
        assign_index_number(entry, local_today.year)
        entry.published_at = now
        entry.published_date = local_today
        entry.lag_workdays = lag_workdays(entry.formed_date, local_today)
        entry.save()
        new_version(entry, actor=actor, reason="首次发布").save()
        audit.record(
            Action.ENTRY_PUBLISH,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            from_state=previous,
            to_state=entry.status,
            comment=comment,
            changes={
                "index_number": [None, entry.index_number],
                "lag_workdays": [None, entry.lag_workdays],
                **changes,
            },
        )
        _notify_public(entry, "publish", {entry.category_id})
    return entry


def withdraw(*, actor: Any, entry: Entry, reason: str) -> Entry:
    """The unit's disclosure office takes a published entry off the site; its page says so, with the reason."""
    with transaction.atomic():
        entry, previous = _transition(actor, entry, "withdraw", reason)
        entry.withdrawn_at = timezone.now()
        entry.withdrawn_reason = reason.strip()
        entry.save()
        audit.record(
            Action.ENTRY_WITHDRAW,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            from_state=previous,
            to_state=entry.status,
            comment=reason,
        )
        _notify_public(entry, "withdraw", {entry.category_id})
    return entry


def set_validity(
    *,
    actor: Any,
    entry: Entry,
    validity: str,
    invalid_date: date | None = None,
    superseded_by: Entry | None = None,
    comment: str = "",
) -> Entry:
    """Mark a published entry 失效 / 废止 / 已修改 (or 有效 again). The public page shows the banner."""
    errors: dict[str, list[str]] = {}
    if message := validity_error(validity):
        errors["validity"] = [message]
    if validity in (Validity.EXPIRED, Validity.REPEALED, Validity.AMENDED) and invalid_date is None:
        errors["invalid_date"] = ["请填写失效、废止或修改的日期"]
    if invalid_date and invalid_date > today():
        errors["invalid_date"] = ["日期不能晚于今天"]
    if superseded_by is not None and (superseded_by.pk == entry.pk or superseded_by.status != EntryStatus.PUBLISHED):
        errors["superseded_by"] = ["替代文件必须是另一条已发布的信息"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        entry = _lock(entry)
        lifecycle.check("set_validity", entry, actor)
        before = _snapshot(entry)
        entry.validity = validity
        entry.invalid_date = invalid_date if validity != Validity.VALID else None
        entry.superseded_by = superseded_by
        entry.version += 1
        entry.save()
        EntryVersion.objects.create(
            entry=entry,
            number=entry.version,
            snapshot=_snapshot(entry),
            reason=comment or f"有效性变更为{Validity(validity).label}",
            created_by=actor,
        )
        audit.record(
            Action.ENTRY_VALIDITY,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            comment=comment,
            changes=audit.diff(before, _snapshot(entry)),
        )
        _notify_public(entry, "validity", {entry.category_id})
    return entry


def _changed_date(value: Any, entry: Entry) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationFailed({"changed_date": ["信息变更日期格式应为 YYYY-MM-DD"]}) from None
    if value > timezone.localdate():
        raise ValidationFailed({"changed_date": ["信息变更日期不能晚于今天"]})
    if value < entry.formed_date:
        raise ValidationFailed({"changed_date": ["信息变更日期不能早于成文日期"]})
    return value


def edit_published(*, actor: Any, entry: Entry, reason: str, changed_date: Any = None, **data: Any) -> Entry:
    """Correct a published entry. The index number never changes; a new version is kept.

    When the correction publishes a 变更 of the information itself (new amounts, a changed list), the officer
    gives ``changed_date``: 《条例》第二十六条 counts the period again from the day the information changed, so
    the version records the working days from then to today and is late past rule ``publication``.
    """
    if not reason.strip():
        raise ValidationFailed({"reason": ["请填写修改说明"]})
    changed = _changed_date(changed_date, entry)
    with transaction.atomic():
        entry = _lock(entry)
        lifecycle.check("edit_published", entry, actor)
        fields = _clean_fields(entry.unit, data, partial=True)
        old_category = entry.category_id
        before = _snapshot(entry)
        for key, value in fields.items():
            setattr(entry, key, value)
        if "formed_date" in fields and entry.published_date:
            entry.lag_workdays = lag_workdays(entry.formed_date, entry.published_date)
        entry.version += 1
        entry.save()
        day = timezone.localdate()
        lag = lag_workdays(changed, day) if changed else None
        EntryVersion.objects.create(
            entry=entry,
            number=entry.version,
            snapshot=_snapshot(entry),
            reason=reason.strip(),
            created_by=actor,
            changed_date=changed,
            lag_workdays=lag,
            published_date=day if changed else None,
        )
        changes = audit.diff(before, _snapshot(entry))
        if changed:
            changes["changed_date"] = [None, changed.isoformat()]
            changes["change_lag_workdays"] = [None, lag]
        audit.record(
            Action.ENTRY_EDIT_PUBLISHED,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            comment=reason,
            changes=changes,
        )
        _notify_public(entry, "edit", {old_category, entry.category_id})
        _notify_content(entry, "edit_published")
    return entry


def set_related(*, actor: Any, entry: Entry, related: list[Entry]) -> Entry:
    """Link related entries (e.g. a policy and its 政策解读). Only entries of the same unit."""
    with transaction.atomic():
        entry = _lock(entry)
        lifecycle.check("set_related", entry, actor)
        if any(r.unit_id != entry.unit_id or r.pk == entry.pk for r in related):
            raise ValidationFailed({"related": ["相关信息必须是本单位的其他信息"]})
        before = sorted(entry.related.values_list("pk", flat=True))
        entry.related.set(related)
        audit.record(
            Action.ENTRY_RELATED,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            changes={"related": [before, sorted(r.pk for r in related)]},
        )
        if entry.is_public:
            _notify_public(entry, "edit", {entry.category_id})
            # an entry taken off the list still shows this one on its own page until it is re-rendered
            dropped = set(before) - {r.pk for r in related}
            for other in Entry.objects.filter(pk__in=dropped):
                if other.is_public:
                    _notify_public(other, "edit", set())
    return entry


def add_attachment(*, actor: Any, entry: Entry, name: str, stream: IO[bytes]) -> Attachment:
    checked = check_upload(name, stream)
    lifecycle.check("attach", entry, actor)  # before anything reaches storage
    att = Attachment(
        entry=entry,
        original_name=checked.name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    # Up to 50 MB: written before the transaction that locks the entry, removed again if that fails.
    att.file.save(checked.name, ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            entry = _lock(entry)
            lifecycle.check("attach", entry, actor)
            att.entry = entry
            att.sort_order = entry.attachments.count()
            att.save()
            audit.record(
                Action.ENTRY_ATTACHMENT_ADD,
                actor=actor,
                obj=entry,
                org_code=entry.unit.code,
                comment=f"上传时已移除：{'、'.join(checked.removed)}" if checked.removed else "",
                changes={
                    "attachment": [None, f"{checked.name} ({checked.size} 字节, sha256 {checked.sha256[:12]})"],
                    **({"removed": [None, list(checked.removed)]} if checked.removed else {}),
                },
            )
            _notify_content(entry, "attach")
    except BaseException:
        att.file.delete(save=False)
        raise
    att.cleaned = checked.removed
    return att


def remove_attachment(*, actor: Any, attachment: Attachment) -> None:
    with transaction.atomic():
        entry = _lock(attachment.entry)
        lifecycle.check("remove_attachment", entry, actor)
        audit.record(
            Action.ENTRY_ATTACHMENT_REMOVE,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            changes={"attachment": [attachment.original_name, None]},
        )
        attachment.delete()
        _notify_content(entry, "remove_attachment")
