"""Reads for the staff 邮件订阅 page: how many people follow each unit, and what they follow. Counts only — the
addresses are encrypted and no page shows them (issue 24)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q

from gongkai.applications import access as case_access
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, Role

from .models import Status, Subscription


@dataclass
class UnitCounts:
    unit: Org
    active: int = 0
    whole: int = 0  # active, to the whole unit
    by_category: int = 0
    by_village: int = 0
    by_query: int = 0
    pending: int = 0
    unsubscribed: int = 0
    last_sent: datetime | None = None
    categories: list[tuple[str, int]] = field(default_factory=list)  # the most followed categories


def visible_units(user: Any) -> list[Org]:
    """The units whose subscriptions ``user`` may count: a unit admin's own, a county supervisor's subtree."""
    supervised = Org.objects.filter(pk__in=case_access.supervised_unit_ids(user), is_active=True)
    ids = set(perms.units_for(user, Role.UNIT_ADMIN)) | set(supervised.values_list("pk", flat=True))
    return list(Org.objects.filter(pk__in=ids).order_by("path"))


def counts(units: list[Org], top: int = 5) -> list[UnitCounts]:
    rows = {u.pk: UnitCounts(u) for u in units}
    active = Q(status=Status.ACTIVE)
    agg = (
        Subscription.objects.filter(unit__in=units)
        .values("unit_id")
        .annotate(
            active=Count("id", filter=active),
            whole=Count("id", filter=active & Q(category__isnull=True, village__isnull=True, query="")),
            by_category=Count("id", filter=active & Q(category__isnull=False)),
            by_village=Count("id", filter=active & Q(village__isnull=False)),
            by_query=Count("id", filter=active & ~Q(query="")),
            pending=Count("id", filter=Q(status=Status.PENDING)),
            unsubscribed=Count("id", filter=Q(status=Status.UNSUBSCRIBED)),
            last_sent=Max("last_sent_at"),
        )
    )
    for a in agg:
        row = rows[a["unit_id"]]
        for key in ("active", "whole", "by_category", "by_village", "by_query", "pending", "unsubscribed", "last_sent"):
            setattr(row, key, a[key])
    cats = (
        Subscription.objects.filter(unit__in=units, status=Status.ACTIVE, category__isnull=False)
        .values("unit_id", "category__name")
        .annotate(n=Count("id"))
        .order_by("unit_id", "-n", "category__name")
    )
    for c in cats:
        row = rows[c["unit_id"]]
        if len(row.categories) < top:
            row.categories.append((c["category__name"], c["n"]))
    return list(rows.values())
