"""Writes of the confidentiality review: masking, accepting with a reason, rescans, word lists, alerts.

Each takes the acting user, checks permission, runs in a transaction and writes an audit event. Audit
events carry masked values only: the log must not become a second copy of the personal data.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.catalog import services as catalog_services
from gongkai.catalog.files import check_upload
from gongkai.catalog.models import Attachment, Entry, EntryStatus
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import scanning
from .mask import Column, MaskRefused, mask_file, mask_html, mask_text
from .models import Alert, Finding, Resolution, ScanResult, SensitiveWord, Severity
from .scanner import KIND_LABELS, MARKER_KINDS
from .signals import word_list_changed

MIN_REASON = 5


@dataclass
class MaskOutcome:
    masked: int = 0
    replaced: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _require_reason(reason: str, field_name: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationFailed({field_name: [f"请填写确认理由（至少 {MIN_REASON} 个字），说明为什么可以公开"]})
    return reason


def _may_review(actor: Any, entry: Entry) -> bool:
    return perms.can_review(actor, entry) or (entry.is_editable_draft and perms.can_edit_draft(actor, entry))


def _masked_copy(
    actor: Any, att: Attachment, kind: str, words: list[tuple[str, str]], column: Column | None = None
) -> tuple[Attachment, Any, int]:
    """A masked copy of ``att`` (of one column of it, with ``column``) with its file already stored (by content
    hash) and its verdict: reading, masking and rescanning a spreadsheet takes seconds, so this runs before the
    masking transaction."""
    with att.file.open("rb") as fh:
        data = fh.read()
    name, payload, count = mask_file(att.original_name, data, {kind}, unit_words=words, column=column)
    checked = check_upload(name, io.BytesIO(payload))
    copy = Attachment(
        entry=att.entry,
        original_name=checked.name,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        sort_order=att.sort_order,
    )
    copy.file.save(checked.name, ContentFile(checked.data), save=False)
    return copy, scanning.scan_attachment_bytes(checked.name, checked.data, words), count


def _require_may_mask(actor: Any, entry: Entry) -> bool:
    """Whether ``entry`` is published; raises when ``actor`` may not mask it in its current state."""
    published = entry.status == EntryStatus.PUBLISHED
    if published:
        perms.require(perms.can_manage_unit(actor, entry.unit), "已发布信息只能由本单位公开办管理员打码")
    else:
        perms.require(_may_review(actor, entry), "您不能对这条信息打码")
        if entry.status not in (EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.REVIEW):
            raise NotAllowed(f"“{entry.get_status_display()}”状态的信息不能打码，请先退回")
    return published


def _results_with(entry: Entry, kind: str, attachment_id: int | None = None) -> Any:
    results = ScanResult.objects.filter(
        entry=entry,
        is_current=True,
        attachment__isnull=False,
        findings__kind=kind,
        findings__resolution=Resolution.OPEN,
    )
    if attachment_id is not None:
        results = results.filter(attachment_id=attachment_id)
    return results.select_related("attachment").distinct()


def mask_all_high(*, actor: Any, entry: Entry) -> MaskOutcome:
    """ "一键打码所有高风险信息": ``mask_findings`` for every kind with an open high-risk finding that can be
    masked (markers such as 密级 cannot: they are removed or confirmed by a person). Each kind is its own
    masking, with its own audit event, as if the reviewer had pressed each button in turn."""
    kinds = sorted(
        set(
            Finding.objects.filter(
                result__entry=entry, result__is_current=True, resolution=Resolution.OPEN, severity=Severity.HIGH
            )
            .exclude(kind__in=MARKER_KINDS)
            .values_list("kind", flat=True)
        )
    )
    if not kinds:
        raise ValidationFailed({"kind": ["没有可以打码的未处理高风险信息"]})
    total = MaskOutcome()
    for kind in kinds:
        outcome = mask_findings(actor=actor, entry=entry, kind=kind)
        total.masked += outcome.masked
        total.replaced += outcome.replaced
        total.refused += outcome.refused
    return total


def mask_findings(
    *, actor: Any, entry: Entry, kind: str, attachment_id: int | None = None, place: str = ""
) -> MaskOutcome:
    """Mask every finding of ``kind``: in title, summary and body; spreadsheets get a masked copy.

    With ``attachment_id`` and ``place`` (a spreadsheet column as the review page groups findings, e.g.
    工作表“名单” 第C列): only that column of that attachment, as "mask all ID numbers in column C"; the text
    fields and the other columns stay as they are, and their findings stay open in the copy's new scan.

    Files that cannot be masked safely (PDF, Word, images) are listed in ``refused`` with the reason and
    their findings stay open. Published entries are corrected through ``edit_published`` (new version).
    The masked copies are made and scanned first; the transaction only swaps rows and masks the text.
    """
    if kind not in KIND_LABELS:
        raise ValidationFailed({"kind": ["请选择要打码的信息类型"]})
    column = Column.parse(place) if place else None
    if place and (column is None or attachment_id is None):
        raise ValidationFailed({"place": [f"“{place[:40]}”不是表格附件中的一列，请在扫描结果的汇总表中选择"]})
    if kind in MARKER_KINDS:
        raise ValidationFailed(
            {"kind": [f"“{KIND_LABELS[kind]}”不能打码：请删除相应内容或退回起草人，确属可公开的由审核人填写理由确认"]}
        )
    outcome = MaskOutcome()
    current = Entry.objects.select_related("unit").get(pk=entry.pk)
    words = scanning.unit_words(current.unit_id)
    copies: dict[int, tuple[str, Attachment, Any, int]] = {}  # original's pk → (its sha, copy, verdict, count)
    problems: dict[int, str] = {}
    if not _require_may_mask(actor, current):
        for result in _results_with(current, kind, attachment_id):
            att = result.attachment
            assert att is not None
            try:
                copy, verdict, count = _masked_copy(actor, att, kind, words, column)
            except MaskRefused as exc:
                problems[att.pk] = f"“{att.original_name}”：{exc.reason}"
            except ValidationFailed as exc:
                problems[att.pk] = f"“{att.original_name}”：打码副本未通过上传检查（{exc.message}）"
            else:
                copies[att.pk] = (att.sha256, copy, verdict, count)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("unit").get(pk=entry.pk)
        published = _require_may_mask(actor, entry)
        now_words = scanning.unit_words(entry.unit_id)
        words_unchanged = now_words == words  # the copies were masked and scanned with ``words``
        before = {r.pk for r in scanning.current_results(entry)}
        changed: dict[str, str] = {}
        if attachment_id is None:  # one attachment (or one column of it) leaves the text fields as they are
            title, n_title = mask_text(entry.title, {kind}, unit_words=now_words)
            summary, n_summary = mask_text(entry.summary, {kind}, unit_words=now_words)
            body, n_body = mask_html(entry.body, {kind}, unit_words=now_words)
            outcome.masked = n_title + n_summary + n_body
            fields = (("title", title), ("summary", summary), ("body", body))
            changed = {k: v for k, v in fields if v != getattr(entry, k)}
        if changed and published:
            entry = catalog_services.edit_published(
                actor=actor, entry=entry, reason=f"保密审查：对{KIND_LABELS[kind]}打码", **changed
            )
        elif changed:
            for key, value in changed.items():
                setattr(entry, key, value)
            entry.save(update_fields=[*changed, "updated_at"])
        verdicts: dict[str, Any] = {}
        for result in _results_with(entry, kind, attachment_id):
            att = result.attachment
            assert att is not None
            if published:
                outcome.refused.append(f"“{att.original_name}”：已发布信息的附件不能直接替换，请撤回后重新发布")
                continue
            if att.pk in problems:
                outcome.refused.append(problems[att.pk])
                continue
            ready = copies.get(att.pk)
            if ready is None or ready[0] != att.sha256 or not words_unchanged:
                outcome.refused.append(f"“{att.original_name}”：打码期间附件或敏感词有变动，请重新打码")
                continue
            _, copy, verdict, count = ready
            copy.save()
            # The original stays for the record but is no longer part of the entry (portal skips replaced files).
            att.replaced_at = timezone.now()
            att.save(update_fields=["replaced_at"])
            verdicts[copy.sha256] = verdict
            outcome.replaced.append(f"{att.original_name} → {copy.original_name}")
            outcome.masked += count
        entry.refresh_from_db()
        # Text fields and the new copies only (their verdicts are ready); other stale attachments are left to
        # the background scan and the publication gate, which extract outside any transaction.
        scanning.scan_entry(entry=entry, trigger="mask", actor=actor, prepared=verdicts, max_bytes=-1)
        still = {f.fingerprint for r in scanning.current_results(entry) for f in r.findings.all() if f.kind == kind}
        masked = Finding.objects.filter(result_id__in=before, kind=kind, resolution=Resolution.OPEN)
        if attachment_id is not None:
            masked = masked.filter(result__attachment_id=attachment_id)
        masked.exclude(fingerprint__in=still).update(
            resolution=Resolution.MASKED, resolved_by=actor, resolved_at=timezone.now()
        )
        audit.record(
            Action.SCREENING_MASK,
            actor=actor,
            obj=entry,
            org_code=entry.unit.code,
            comment=KIND_LABELS[kind] + (f"（{column.label}）" if column else ""),
            changes={
                "kind": kind,
                **({"place": column.label, "attachment": attachment_id} if column else {}),
                "masked": outcome.masked,
                "replaced": outcome.replaced,
                "refused": outcome.refused,
            },
        )
    return outcome


def accept_finding(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """The reviewer confirms, with a written reason, that this value may be published as it is."""
    reason = _require_reason(reason)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().select_related("result__entry__unit").get(pk=finding.pk)
        entry = finding.result.entry
        perms.require(perms.can_review(actor, entry), "只有本单位审核人可以确认敏感信息可以公开")
        if not finding.result.is_current:
            raise NotAllowed("这条发现来自过期的扫描结果，请刷新后重试")
        if finding.resolution != Resolution.OPEN:
            raise NotAllowed(f"这条发现已是“{finding.get_resolution_display()}”")
        finding.resolution = Resolution.ACCEPTED
        finding.resolution_reason = reason
        finding.resolved_by = actor
        finding.resolved_at = timezone.now()
        finding.save(update_fields=["resolution", "resolution_reason", "resolved_by", "resolved_at"])
        audit.record(
            Action.SCREENING_ACCEPT,
            actor=actor,
            obj=finding,
            org_code=entry.unit.code,
            comment=reason,
            changes={"finding": [None, f"{finding.get_kind_display()} {finding.masked}（{finding.location}）"]},
        )
    return finding


def accept_result(*, actor: Any, result: ScanResult, reason: str) -> ScanResult:
    """The reviewer read an unreadable / scanned-image file by hand and records the conclusion."""
    reason = _require_reason(reason)
    with transaction.atomic():
        result = ScanResult.objects.select_for_update().select_related("entry__unit").get(pk=result.pk)
        perms.require(perms.can_review(actor, result.entry), "只有本单位审核人可以确认人工审查结论")
        if not result.needs_acceptance or not result.is_current:
            raise NotAllowed("该扫描结果不需要人工确认")
        result.accepted_by, result.accepted_at, result.accepted_reason = actor, timezone.now(), reason
        result.save(update_fields=["accepted_by", "accepted_at", "accepted_reason"])
        audit.record(
            Action.SCREENING_ACCEPT_MANUAL,
            actor=actor,
            obj=result,
            org_code=result.entry.unit.code,
            comment=reason,
            changes={"result": [result.get_status_display(), f"{result.label}：人工审查通过"]},
        )
    return result


def rescan_entry(*, actor: Any, entry: Entry) -> list[ScanResult]:
    perms.require(perms.can_review(actor, entry) or perms.can_manage_unit(actor, entry.unit), "您不能重新扫描这条信息")
    return scanning.scan_entry(entry=entry, trigger="manual", force=True, actor=actor)


@dataclass
class RescanSummary:
    entries: int = 0
    with_findings: int = 0
    alerts: list[Alert] = field(default_factory=list)


def alert_for(entry: Entry) -> Alert | None:
    """Open (or refresh) the unit's alert when a live entry holds unresolved high-risk information."""
    results = scanning.current_results(entry)
    high = scanning.open_high_findings(results)
    if not high:
        return None
    summary = f"已发布信息“{entry.title[:60]}”（{entry.index_number or '无索引号'}）含 {high} 处未处理的高风险信息"
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(
            entry=entry,
            state=Alert.State.OPEN,
            defaults={"unit": entry.unit, "summary": summary, "high_count": high},
        )
        if not created:
            alert.summary, alert.high_count = summary, high
            alert.save(update_fields=["summary", "high_count"])
        audit.record(
            Action.SCREENING_ALERT,
            obj=alert,
            org_code=entry.unit.code,
            comment=summary,
            changes={"alert": [None, alert.pk], "high_count": high},
        )
    return alert


def rescan_published(
    *, unit: Org | None = None, progress: Callable[[Entry], None] | None = None, actor: Any = None
) -> RescanSummary:
    """Scan every published entry again (new detectors, new words) and alert the unit on live hits.

    Runs in the task worker or ``gongkai scan``, never in a request: scanned files not in the OCR cache are
    recognised here."""
    summary = RescanSummary()
    entries = Entry.objects.filter(status=EntryStatus.PUBLISHED).select_related("unit").order_by("id")
    if unit is not None:
        entries = entries.filter(unit=unit)
    for entry in entries.iterator(chunk_size=200):
        scanning.scan_entry(entry=entry, trigger="rescan", force=True, actor=actor, run_ocr=True)
        summary.entries += 1
        alert = alert_for(entry)
        if alert is not None:
            summary.with_findings += 1
            summary.alerts.append(alert)
        if progress is not None:
            progress(entry)
    return summary


def handle_alert(*, actor: Any, alert: Alert, note: str) -> Alert:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": ["请填写处理说明（如：已打码、已撤回）"]})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("unit").get(pk=alert.pk)
        perms.require(perms.can_manage_unit(actor, alert.unit), "只有本单位公开办管理员可以处理告警")
        if alert.state != Alert.State.OPEN:
            raise NotAllowed("该告警已处理")
        alert.state, alert.handled_by, alert.handled_at, alert.note = (
            Alert.State.HANDLED,
            actor,
            timezone.now(),
            note,
        )
        alert.save(update_fields=["state", "handled_by", "handled_at", "note"])
        audit.record(
            Action.SCREENING_ALERT_HANDLED,
            actor=actor,
            obj=alert,
            org_code=alert.unit.code,
            comment=note,
            from_state=Alert.State.OPEN,
            to_state=Alert.State.HANDLED,
        )
    return alert


def _words_changed(unit: Org) -> None:
    unit_id = unit.pk
    transaction.on_commit(lambda: word_list_changed.send(sender=SensitiveWord, unit_id=unit_id))


def add_sensitive_word(
    *, actor: Any, unit: Org, word: str, severity: str = Severity.HIGH, note: str = ""
) -> SensitiveWord:
    word = " ".join((word or "").split())
    errors: dict[str, list[str]] = {}
    if len(word) < 2:
        errors["word"] = ["敏感词至少 2 个字"]
    elif len(word) > 50:
        errors["word"] = ["敏感词不能超过 50 个字"]
    if severity not in Severity.values:
        errors["severity"] = ["风险等级无效"]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        perms.require(perms.can_manage_unit(actor, unit), "只有本单位公开办管理员可以维护敏感词")
        if SensitiveWord.objects.filter(unit=unit, word=word).exists():
            raise ValidationFailed({"word": [f"敏感词“{word}”已存在"]})
        item = SensitiveWord.objects.create(unit=unit, word=word, severity=severity, note=note[:200], created_by=actor)
        audit.record(
            Action.SCREENING_WORD_ADD, actor=actor, obj=item, org_code=unit.code, changes={"word": [None, word]}
        )
        _words_changed(unit)
    return item


def remove_sensitive_word(*, actor: Any, word: SensitiveWord) -> None:
    with transaction.atomic():
        perms.require(perms.can_manage_unit(actor, word.unit), "只有本单位公开办管理员可以维护敏感词")
        audit.record(
            Action.SCREENING_WORD_REMOVE,
            actor=actor,
            obj=word,
            org_code=word.unit.code,
            changes={"word": [word.word, None]},
        )
        word.delete()
        _words_changed(word.unit)
