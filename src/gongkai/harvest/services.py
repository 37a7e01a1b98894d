"""Writes of the change log: one change per public change of an entry, and the reconciliation that fills
in what an interrupted process (or the time before this log existed) left out."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.catalog.models import Category, Entry, EntryStatus

from . import records
from .models import ChangeKind, ChangeLock, HarvestChange

KIND_OF_REASON = {
    "publish": ChangeKind.PUBLISHED,
    "withdraw": ChangeKind.WITHDRAWN,
    "validity": ChangeKind.VALIDITY,
    "edit": ChangeKind.UPDATED,
}
PUBLIC_STATES = (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)


def _entry(entry_id: int) -> Entry | None:
    return (
        Entry.objects.select_related("unit", "publisher", "category", "superseded_by")
        .prefetch_related("attachments")
        .filter(pk=entry_id, status__in=PUBLIC_STATES)
        .first()
    )


def record_change(entry_id: int, reason: str, *, at: datetime | None = None) -> HarvestChange | None:
    """Log the entry's current public state as one change; None if the entry is not public.

    The row is written under the lock row, so the sequence (the id) increases in commit order: a harvester
    that has read up to sequence N will never see a row below N appear later.
    """
    with transaction.atomic():
        ChangeLock.objects.select_for_update().get_or_create(pk=1)
        entry = _entry(entry_id)
        if entry is None:
            return None
        kind = ChangeKind.WITHDRAWN if entry.status == EntryStatus.WITHDRAWN else KIND_OF_REASON.get(reason)
        if kind is None:
            kind = ChangeKind.UPDATED
        return HarvestChange.objects.create(
            entry=entry,
            unit_id=entry.unit_id,
            kind=kind,
            deleted=entry.status == EntryStatus.WITHDRAWN,
            changed_at=at or timezone.now(),
            entry_status=entry.status,
            entry_version=entry.version,
            record=records.build(entry),
        )


def record_category_renamed(category_id: int) -> int:
    """An ``updated`` change for every published entry in the renamed column or below it; returns how many."""
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        return 0
    below = Q(category_id=category_id) | Q(category__path__startswith=f"{category.path}{category_id}/")
    ids = (
        Entry.objects.filter(below, status__in=PUBLIC_STATES)
        .order_by("published_at", "id")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in ids.iterator() if record_change(pk, "edit") is not None)


def reconcile(*, backdate: bool = False) -> int:
    """Record a change for every public entry whose last logged state differs from its state now (or that
    has none). ``backdate`` (the first fill) dates each change at its publication or withdrawal; otherwise a
    late-found change is dated now, so ``from`` harvests still see it. Returns how many were recorded."""
    last = {
        c["entry_id"]: (c["entry_status"], c["entry_version"])
        for c in HarvestChange.objects.order_by("entry_id", "id").values("entry_id", "entry_status", "entry_version")
    }
    pending = (
        Entry.objects.filter(status__in=PUBLIC_STATES)
        .exclude(published_at=None)
        .order_by("published_at", "id")
        .values_list("pk", "status", "version", "published_at", "withdrawn_at")
    )
    count = 0
    for pk, status, version, published_at, withdrawn_at in pending.iterator():
        if last.get(pk) == (status, version):
            continue
        at = None
        if backdate:
            at = withdrawn_at if status == EntryStatus.WITHDRAWN and withdrawn_at else published_at
        reason = "publish" if pk not in last else "edit"
        if record_change(pk, reason, at=at) is not None:
            count += 1
    return count
