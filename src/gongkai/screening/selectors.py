"""Reads for the reviewer's pages: findings of an entry grouped for display, alerts, word lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from gongkai.catalog.models import Entry
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import scanning
from .models import Alert, Finding, Resolution, ScanResult, SensitiveWord, Severity
from .scanner import KIND_LABELS, MARKER_KINDS


@dataclass
class MaskAction:
    kind: str
    label: str
    count: int


@dataclass
class EntryFindings:
    entry: Entry
    results: list[ScanResult]
    mask_actions: list[MaskAction] = field(default_factory=list)
    open_high: int = 0
    can_review: bool = False
    pending: bool = False  # a part has no verdict on what it holds now: the scan is queued or running


def entry_findings(entry: Entry, user: Any) -> EntryFindings:
    """The current scan results of ``entry`` with findings; what the reviewer can mask in one click; whether a
    scan is still due. Only reads: scans run when the content changes, never because a page was opened."""
    perms.require(perms.can_read_unpublished(user, entry), "您不能查看这条信息的保密审查结果")
    results = list(
        ScanResult.objects.filter(entry=entry, is_current=True)
        .select_related("attachment", "accepted_by")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.select_related("resolved_by")))
        .order_by("target", "id")
    )
    open_kinds: Counter[str] = Counter()
    open_high = 0
    for r in results:
        for f in r.findings.all():
            if f.resolution == Resolution.OPEN:
                open_kinds[f.kind] += 1
                open_high += f.severity == Severity.HIGH
    actions = [
        MaskAction(kind, KIND_LABELS[kind], n) for kind, n in open_kinds.most_common() if kind not in MARKER_KINDS
    ]
    pending = bool(scanning.pending_parts(entry))
    return EntryFindings(entry, results, actions, open_high, perms.can_review(user, entry), pending)


def alerts_for(user: Any) -> QuerySet[Alert]:
    """Open alerts of the units whose disclosure office the user runs."""
    units = perms.units_for(user, "unit_admin")
    return Alert.objects.filter(unit_id__in=units, state=Alert.State.OPEN).select_related("entry", "unit")


def words_for(unit: Org) -> QuerySet[SensitiveWord]:
    return SensitiveWord.objects.filter(unit=unit).select_related("created_by")


def managed_units(user: Any) -> list[Org]:
    return list(Org.objects.filter(pk__in=perms.units_for(user, "unit_admin")))
