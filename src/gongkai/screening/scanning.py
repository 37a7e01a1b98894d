"""Scanning entries into stored results: what the submission task, the publication gate and rescans share.

A result is kept per part (the text fields together, each attachment) with the SHA-256 of what was
scanned — content, the unit's word list and the scanner version — so an unchanged part is not rescanned and
a changed one never keeps an old verdict.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from gongkai.catalog.models import Attachment, Entry, EntryStatus
from gongkai.catalog.text import html_to_text
from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.documents.guard import forbid_in_transaction

from . import extract, ocrstore, report
from .models import Finding, Resolution, ScanResult, ScanStatus, SensitiveWord, Severity, Target
from .ocr import OcrPending
from .scanner import KIND_LABELS
from .signals import ocr_needed

log = logging.getLogger(__name__)

#: Bump when detectors change: every stored verdict then counts as stale and is scanned again.
SCANNER_VERSION = "1"
#: Attachments up to this size are scanned inside the publication gate when the background scan has not
#: run yet; larger ones wait for the task, and the gate says so.
SYNC_SCAN_BYTES = 8 * 1024 * 1024
_ATTRS = re.compile(r'\s(?:href|title|alt)\s*=\s*"([^"]*)"')


@dataclass(frozen=True)
class Part:
    target: str
    label: str
    attachment: Attachment | None
    sha: str


def unit_words(unit: Any) -> list[tuple[str, str]]:
    return list(SensitiveWord.objects.filter(unit=unit).values_list("word", "severity"))


def fingerprint(kind: str, value: str) -> str:
    """Keyed hash of the value's letters and digits: the same number in another spacing is the same value."""
    core = re.sub(r"[\W_]", "", value).upper()
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{core}".encode(), hashlib.sha256).hexdigest()


def _sha(*parts: str) -> str:
    h = hashlib.sha256(SCANNER_VERSION.encode())
    for p in parts:
        h.update(b"\x00" + p.encode("utf-8", errors="replace"))
    return h.hexdigest()


def text_segments(entry: Entry) -> list[tuple[str, str]]:
    segments = [("标题", entry.title), ("内容概述", entry.summary)]
    for number, line in enumerate(html_to_text(entry.body).splitlines(), start=1):
        if line.strip():
            segments.append((f"正文第{number}行", line))
    # Links and image texts are public too (href="tel:…", alt="…") but are not part of the text.
    for value in _ATTRS.findall(entry.body or ""):
        segments.append(("正文链接或图片说明", value))
    return [(loc, text) for loc, text in segments if text]


def parts(entry: Entry, words: list[tuple[str, str]]) -> list[Part]:
    words_key = repr(sorted(words))
    out = [Part(Target.TEXT, "标题、概述和正文", None, _sha(words_key, entry.title, entry.summary, entry.body))]
    for att in entry.attachments.filter(replaced_at__isnull=True).order_by("sort_order", "id"):
        out.append(Part(Target.ATTACHMENT, att.original_name, att, _sha(words_key, att.sha256)))
    return out


def current_results(entry: Entry) -> list[ScanResult]:
    return list(
        ScanResult.objects.filter(entry=entry, is_current=True).select_related("attachment").order_by("target", "id")
    )


def _scan_part(entry: Entry, part: Part, words: list[tuple[str, str]], *, run_ocr: bool) -> report.FileReport:
    if part.attachment is None:
        found = report.scan_segments(text_segments(entry), unit_words=words)
        return report.FileReport(part.label, "text", extract.OK, "", found)
    # Extraction takes seconds on a large file: never while a transaction holds locks.
    forbid_in_transaction("extracting an attachment for screening")
    att = part.attachment
    if att.size > extract.MAX_BYTES:
        return report.FileReport(
            part.label,
            att.kind,
            extract.MANUAL,
            f"文件大小 {att.size // 2**20} MB，超过自动扫描上限 {extract.MAX_BYTES // 2**20} MB",
        )
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        return report.FileReport(part.label, att.kind, extract.UNREADABLE, f"附件文件无法读取（{exc.strerror or exc}）")
    return report.scan_bytes(att.original_name, data, unit_words=words, ocr=ocrstore.reader(run=run_ocr))


_STATUS = {
    extract.OK: ScanStatus.CLEAN,
    extract.UNREADABLE: ScanStatus.UNREADABLE,
    extract.MANUAL: ScanStatus.MANUAL,
}


def _store(entry: Entry, part: Part, rep: report.FileReport, trigger: str) -> ScanResult:
    status = _STATUS[rep.status]
    if status == ScanStatus.CLEAN and rep.findings:
        status = ScanStatus.FOUND
    previous = ScanResult.objects.filter(entry=entry, target=part.target, attachment=part.attachment, is_current=True)
    previous.update(is_current=False)
    result = ScanResult.objects.create(
        entry=entry,
        attachment=part.attachment,
        target=part.target,
        label=part.label[:200],
        content_sha256=part.sha,
        status=status,
        reason=rep.reason,
        trigger=trigger,
        finding_count=len(rep.findings),
        high_count=rep.high_count,
    )
    # A reviewer's acceptance of a value holds for the same value in the same entry on later scans.
    accepted = {
        f.fingerprint: f
        for f in Finding.objects.filter(result__entry=entry, resolution=Resolution.ACCEPTED).order_by("id")
    }
    rows = []
    for located in rep.findings:
        f = located.finding
        fp = fingerprint(f.kind, f.value)
        earlier = accepted.get(fp)
        rows.append(
            Finding(
                result=result,
                kind=f.kind,
                severity=f.severity,
                location=located.location[:200],
                start=f.start,
                end=f.end,
                masked=f.masked[:200],
                context=located.context[:400],
                fingerprint=fp,
                resolution=Resolution.ACCEPTED if earlier else Resolution.OPEN,
                resolution_reason=f"沿用此前的确认：{earlier.resolution_reason}" if earlier else "",
                resolved_by=earlier.resolved_by if earlier else None,
                resolved_at=earlier.resolved_at if earlier else None,
            )
        )
    Finding.objects.bulk_create(rows)
    return result


def scan_attachment_bytes(name: str, data: bytes, words: list[tuple[str, str]]) -> report.FileReport:
    """The verdict on file content not stored yet (a masked copy), computed before its transaction."""
    return report.scan_bytes(name, data, unit_words=words)


def scan_entry(
    *,
    entry: Entry,
    trigger: str,
    force: bool = False,
    max_bytes: int | None = None,
    actor: Any = None,
    prepared: dict[str, report.FileReport] | None = None,
    run_ocr: bool = False,
) -> list[ScanResult]:
    """Scan every part of ``entry`` whose stored verdict is missing or stale; returns the new results.

    ``max_bytes`` leaves larger attachments for the background task. Extraction runs outside the
    transaction (it can take seconds); only the writes are atomic. ``prepared`` maps attachment SHA-256
    to verdicts computed beforehand (``scan_attachment_bytes``): a caller inside a transaction passes every
    new attachment's verdict that way, so only the text fields are scanned here.

    Scanned images and text-less PDF pages are read from the OCR cache. Only the task worker passes
    ``run_ocr`` (recognising takes seconds a page); anywhere else a file not recognised yet keeps no verdict
    and ``ocr_needed`` asks the worker for it, so the gate waits instead of running OCR in a request.
    """
    prepared = prepared or {}
    words = unit_words(entry.unit_id)
    wanted = parts(entry, words)
    existing = {(r.target, r.attachment_id): r for r in current_results(entry)}
    todo = [
        p
        for p in wanted
        if force
        or (existing.get((p.target, p.attachment.pk if p.attachment else None)) is None)
        or existing[(p.target, p.attachment.pk if p.attachment else None)].content_sha256 != p.sha
    ]
    if max_bytes is not None:
        todo = [
            p for p in todo if p.attachment is None or p.attachment.sha256 in prepared or p.attachment.size <= max_bytes
        ]
    reports = []
    waiting = False
    for part in todo:
        ready = prepared.get(part.attachment.sha256) if part.attachment is not None else None
        if ready is not None:
            reports.append((part, ready))
            continue
        try:
            reports.append((part, _scan_part(entry, part, words, run_ocr=run_ocr)))
        except OcrPending:
            waiting = True  # no verdict yet: the gate blocks until the worker has recognised the file
        except Exception as exc:  # the worker must survive anything a file does to a parser
            log.exception("screening failed on entry %s part %s", entry.pk, part.label)
            reports.append(
                (
                    part,
                    report.FileReport(part.label, "", extract.UNREADABLE, f"扫描出错（{type(exc).__name__}）"),
                )
            )
    if waiting:
        entry_id = entry.pk
        transaction.on_commit(lambda: ocr_needed.send(sender=Entry, entry_id=entry_id))
    live_ids = {p.attachment.pk for p in wanted if p.attachment}
    stale = any(target == Target.ATTACHMENT and att not in live_ids for target, att in existing)
    if not reports and not stale:
        return []  # every verdict is current (the gate's usual case): nothing to write
    with transaction.atomic():
        # Results of replaced or removed attachments no longer describe the entry.
        ScanResult.objects.filter(entry=entry, is_current=True, target=Target.ATTACHMENT).exclude(
            attachment_id__in=live_ids
        ).update(is_current=False)
        results = [_store(entry, part, rep, trigger) for part, rep in reports]
        if results:
            audit.record(
                Action.SCREENING_SCAN,
                actor=actor,
                object_type="screening.scan",
                object_id=entry.pk,
                org_code=entry.unit.code,
                comment=trigger,
                changes={
                    "results": [
                        f"{r.label}：{r.get_status_display()}（{r.finding_count} 处，高风险 {r.high_count}）"
                        for r in results
                    ]
                },
            )
    return results


def pending_parts(entry: Entry) -> list[Part]:
    """The parts of ``entry`` without a current verdict on what they hold now (a read: nothing is scanned)."""
    results = {(r.target, r.attachment_id): r for r in current_results(entry)}
    out = []
    for part in parts(entry, unit_words(entry.unit_id)):
        result = results.get((part.target, part.attachment.pk if part.attachment else None))
        if result is None or result.content_sha256 != part.sha:
            out.append(part)
    return out


UNFINISHED = (EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.REVIEW, EntryStatus.SIGNOFF)


def scan_unit_entries(unit_id: int, *, trigger: str = "words", run_ocr: bool = False) -> int:
    """Scan again every entry of the unit still on its way to publication (the word list changed: every
    verdict on them is stale). Published entries are rescanned by ``rescan_published``, which also alerts.
    Returns the number of entries that got new results."""
    entries = Entry.objects.filter(unit_id=unit_id, status__in=UNFINISHED).select_related("unit").order_by("id")
    return sum(
        1 for entry in entries.iterator(chunk_size=200) if scan_entry(entry=entry, trigger=trigger, run_ocr=run_ocr)
    )


def prepare_gate(entry: Entry) -> list[ScanResult]:
    """Before review or sign-off, outside the transaction: scan the parts the background task has not
    scanned yet (attachments up to ``SYNC_SCAN_BYTES``), so the gate itself only reads stored verdicts.

    The entry is read again: the caller's copy may predate an edit, and the gate will judge the stored one.
    """
    fresh = Entry.objects.select_related("unit").filter(pk=entry.pk).first()
    return scan_entry(entry=fresh, trigger="gate", max_bytes=SYNC_SCAN_BYTES) if fresh is not None else []


def blocking_reasons(entry: Entry) -> list[str]:
    """Why ``entry`` may not pass review or be published, from its current stored results.

    Runs inside the publishing transaction and never extracts: a part without a current verdict (scanned
    by ``prepare_gate`` just before, or too large and still with the background task) blocks.
    """
    words = unit_words(entry.unit_id)
    results = {(r.target, r.attachment_id): r for r in current_results(entry)}
    reasons: list[str] = []
    for part in parts(entry, words):
        result = results.get((part.target, part.attachment.pk if part.attachment else None))
        if result is None or result.content_sha256 != part.sha:
            if part.attachment is not None and ocrstore.pending(part.attachment.sha256):
                reasons.append(f"附件“{part.label}”：扫描件正在识别文字（OCR），完成后才能发布")
            else:
                reasons.append(f"附件“{part.label}”正在后台进行保密扫描，扫描完成前不能通过")
            continue
        if result.needs_acceptance:
            reasons.append(
                f"“{result.label}”{result.get_status_display()}：{result.reason}。须由审核人人工审查并填写结论"
            )
        counts = Counter(
            f.kind for f in result.findings.all() if f.severity == Severity.HIGH and f.resolution == Resolution.OPEN
        )
        if counts:
            detail = "、".join(f"{KIND_LABELS.get(k, k)} {n} 处" for k, n in counts.most_common())
            reasons.append(f"“{result.label}”有未处理的高风险信息：{detail}。请打码，或由审核人填写理由确认可以公开")
    return reasons


def open_high_findings(results: Iterable[ScanResult]) -> int:
    return sum(
        1 for r in results for f in r.findings.all() if f.severity == Severity.HIGH and f.resolution == Resolution.OPEN
    )
