"""Reads for the staff UI: what a user may see, the queues, timeliness warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, Role

from . import timeliness
from .models import Entry, EntryStatus
from .timeliness import lag_workdays

PUBLIC_STATES = (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)


def _subtree_q(prefix: str, org_id: int, path: str) -> Q:
    return Q(**{f"{prefix}_id": org_id}) | Q(**{f"{prefix}__path__startswith": f"{path}{org_id}/"})


def visible_entries(user: Any) -> QuerySet[Entry]:
    """Every entry the user may open in the staff UI (drafts included where the role allows)."""
    q = Q(pk__in=[])
    for g in perms.grants(user):
        if g.role == Role.SUPERVISOR:
            q |= _subtree_q("unit", g.org_id, g.org_path)
        elif g.role in (Role.REVIEWER, Role.SIGNER, Role.UNIT_ADMIN):
            q |= Q(unit_id=g.unit_id)
        elif g.role == Role.DRAFTER:
            q |= Q(unit_id=g.unit_id) & (_subtree_q("publisher", g.org_id, g.org_path) | Q(status__in=PUBLIC_STATES))
    return Entry.objects.filter(q).select_related("unit", "publisher", "category")


def drafting_units(user: Any) -> list[Org]:
    ids = perms.units_for(user, Role.DRAFTER, Role.UNIT_ADMIN)
    return list(Org.objects.filter(pk__in=ids).order_by("path", "sort_order"))


def publisher_choices(user: Any, unit: Org) -> list[Org]:
    """Orgs in whose name the user may draft inside ``unit``."""
    subtree = list(unit.subtree().filter(is_active=True).order_by("path", "sort_order", "id"))
    return [o for o in subtree if perms.can_draft_in(user, unit, o)]


def my_drafts(user: Any) -> QuerySet[Entry]:
    return (
        visible_entries(user)
        .filter(created_by=user, status__in=(EntryStatus.DRAFT, EntryStatus.RETURNED))
        .order_by("-updated_at")
    )


def review_queue(user: Any) -> QuerySet[Entry]:
    units = perms.units_for(user, Role.REVIEWER, Role.UNIT_ADMIN)
    return (
        Entry.objects.filter(unit_id__in=units, status=EntryStatus.REVIEW)
        .select_related("unit", "publisher", "category", "created_by")
        .order_by("updated_at")
    )


def signoff_queue(user: Any) -> QuerySet[Entry]:
    units = perms.units_for(user, Role.SIGNER)
    return (
        Entry.objects.filter(unit_id__in=units, status=EntryStatus.SIGNOFF)
        .select_related("unit", "publisher", "category", "created_by")
        .order_by("updated_at")
    )


@dataclass
class TimelinessRow:
    entry: Entry
    elapsed: int | None
    state: str  # ok / warning / overdue / unknown


def timeliness_warnings(user: Any, limit: int = 50) -> list[TimelinessRow]:
    """Unpublished entries from the ``publication_warning`` threshold on (past the Art. 26 period: overdue)."""
    today = timezone.localdate()
    rows = []
    pending = visible_entries(user).exclude(status__in=PUBLIC_STATES).order_by("formed_date")[:2000]
    for entry in pending:
        elapsed = lag_workdays(entry.formed_date, today)
        state = timeliness.state(elapsed)
        if state in ("warning", "overdue"):
            rows.append(TimelinessRow(entry, elapsed, state))
    rows.sort(key=lambda r: -(r.elapsed or 0))
    return rows[:limit]


def entry_history(entry: Entry) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(object_type="catalog.entry", object_id=str(entry.pk))
        .select_related("actor")
        .order_by("id")
    )
