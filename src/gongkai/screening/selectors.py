"""Reads for the reviewer's pages: findings of an entry grouped for display, alerts, word lists."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from gongkai.catalog.models import Entry
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import scanning
from .mask import Column
from .models import Alert, Finding, Resolution, ScanResult, SensitiveWord, Severity
from .scanner import KIND_LABELS, MARKER_KINDS, SEVERITY_RANK


@dataclass
class MaskAction:
    kind: str
    label: str
    count: int


@dataclass
class FindingGroup:
    """Findings of one kind in one place of one part — a spreadsheet column, or the whole part otherwise — so a
    list of 37 ID numbers in column C reads as one line instead of 37 (issue 21)."""

    kind: str
    label: str
    place: str
    severity: str
    total: int
    open: int
    #: A spreadsheet column with open findings of a kind that can be masked: "mask this column" (services).
    maskable: bool = False


@dataclass
class EntryFindings:
    entry: Entry
    results: list[ScanResult]
    mask_actions: list[MaskAction] = field(default_factory=list)
    open_high: int = 0
    can_review: bool = False
    pending: bool = False  # a part has no verdict on what it holds now: the scan is queued or running
    groups: dict[int, list[FindingGroup]] = field(default_factory=dict)  # result pk → its groups
    maskable_high: int = 0  # open high-risk findings of kinds that can be masked (the "mask everything" button)


#: A spreadsheet cell's location (extract.py) → its sheet and column.
_CELL = re.compile(r"^(?:工作表“(?P<sheet>[^”]*)” )?第\d+行 第(?P<col>[A-Z]+)列$")


def place_of(location: str) -> str:
    """Where a finding sits for grouping: 工作表“名单” 第C列 for a spreadsheet cell, else "" (the whole part)."""
    match = _CELL.match(location or "")
    if match is None:
        return ""
    return Column(match.group("sheet"), match.group("col")).label  # the place "mask this column" parses back


def group_findings(findings: list[Finding]) -> list[FindingGroup]:
    """By kind and place, high risk first, most findings first."""
    buckets: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        buckets.setdefault((f.kind, place_of(f.location)), []).append(f)
    groups = [
        FindingGroup(
            kind=kind,
            label=KIND_LABELS.get(kind, kind),
            place=place,
            severity=min((f.severity for f in items), key=lambda s: SEVERITY_RANK.get(s, 9)),
            total=len(items),
            open=(n_open := sum(f.resolution == Resolution.OPEN for f in items)),
            maskable=bool(place) and n_open > 0 and kind not in MARKER_KINDS,
        )
        for (kind, place), items in buckets.items()
    ]
    return sorted(groups, key=lambda g: (SEVERITY_RANK.get(g.severity, 9), -g.total, g.label, g.place))


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
    groups = {r.pk: group_findings(list(r.findings.all())) for r in results}
    maskable_high = sum(
        1
        for r in results
        for f in r.findings.all()
        if f.resolution == Resolution.OPEN and f.severity == Severity.HIGH and f.kind not in MARKER_KINDS
    )
    return EntryFindings(
        entry, results, actions, open_high, perms.can_review(user, entry), pending, groups, maskable_high
    )


def open_findings_by_entry(entry_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For a queue: entry id → (open findings, of which high risk) of its current scan results."""
    rows = (
        Finding.objects.filter(result__entry_id__in=entry_ids, result__is_current=True, resolution=Resolution.OPEN)
        .values("result__entry_id", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, tuple[int, int]] = {}
    for row in rows:
        total, high = out.get(row["result__entry_id"], (0, 0))
        out[row["result__entry_id"]] = (
            total + row["n"],
            high + (row["n"] if row["severity"] == Severity.HIGH else 0),
        )
    return out


def alerts_for(user: Any) -> QuerySet[Alert]:
    """Open alerts of the units whose disclosure office the user runs."""
    units = perms.units_for(user, "unit_admin")
    return Alert.objects.filter(unit_id__in=units, state=Alert.State.OPEN).select_related("entry", "unit")


def words_for(unit: Org) -> QuerySet[SensitiveWord]:
    return SensitiveWord.objects.filter(unit=unit).select_related("created_by")


def managed_units(user: Any) -> list[Org]:
    return list(Org.objects.filter(pk__in=perms.units_for(user, "unit_admin")))
