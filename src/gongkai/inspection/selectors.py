"""Reads of the self-inspection history: latest run per unit, the monthly series for the county's chart,
earlier probe results for the availability indicator, and which units a user may see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind, Role

from .models import InspectionRun, ItemExemption, SiteProbe

UNIT_KINDS = (OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.STREET)


def units_of(org: Org) -> list[Org]:
    """A county's inspected units: itself and every township and street below it; a township or street: itself."""
    if org.kind != OrgKind.COUNTY:
        return [org]
    below = Org.objects.filter(
        path__startswith=f"{org.path}{org.pk}/", kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET], is_active=True
    ).order_by("path", "sort_order", "id")
    return [org, *below]


def visible_units(user: Any) -> list[Org]:
    """Units whose self-inspection ``user`` sees: those they administer, and every unit below a county they
    supervise."""
    seen: dict[int, Org] = {}
    for unit in Org.objects.filter(pk__in=perms.units_for(user, Role.UNIT_ADMIN), kind__in=UNIT_KINDS):
        seen[unit.pk] = unit
    for g in perms.grants(user):
        if g.role == Role.SUPERVISOR:
            org = Org.objects.filter(pk=g.org_id).first()
            if org is not None:
                for unit in units_of(org):
                    seen.setdefault(unit.pk, unit)
    return sorted(seen.values(), key=lambda u: (u.path, u.sort_order, u.pk))


def can_view(user: Any, unit: Org) -> bool:
    return perms.can_manage_unit(user, unit) or perms.can_supervise(user, unit)


def runs(unit: Org) -> QuerySet[InspectionRun]:
    return InspectionRun.objects.filter(unit=unit).order_by("-ran_at", "-id")


def latest(unit: Org) -> InspectionRun | None:
    return runs(unit).first()


def latest_by_unit(units: list[Org]) -> dict[int, InspectionRun]:
    out: dict[int, InspectionRun] = {}
    for run in InspectionRun.objects.filter(unit__in=units).order_by("unit_id", "-ran_at", "-id").defer("findings"):
        out.setdefault(run.unit_id, run)
    return out


def monthly(unit: Org, months: int = 12, today: date | None = None) -> list[tuple[str, int, bool]]:
    """(YYYY-MM, score, vetoed) of the last run of each month with a run, oldest first, at most ``months``."""
    rows = InspectionRun.objects.filter(unit=unit).order_by("ran_at", "id").values_list("on_date", "score", "vetoes")
    by_month: dict[str, tuple[int, bool]] = {}
    for on, score, vetoes in rows.iterator():
        by_month[f"{on:%Y-%m}"] = (score, vetoes > 0)
    return [(m, s, v) for m, (s, v) in sorted(by_month.items())][-months:]


#: Scheduled probes are kept this long: the indicator's window (checks.yaml, availability) and a month's trend.
#: Not a statutory period, so not in the rules table.
PROBE_KEEP = timedelta(days=31)


def earlier_probes(unit: Org, url: str, today: date, days: int) -> list[bool]:
    """Probe results of this URL within the last ``days`` days (the indicator's one-week monitoring window):
    the scheduler's probes (``SiteProbe``, ``gongkai probe-site``) and those recorded by the unit's runs."""
    since = today - timedelta(days=days - 1)
    tz = timezone.get_current_timezone()
    start, end = datetime.combine(since, time.min, tzinfo=tz), datetime.combine(today, time.max, tzinfo=tz)
    out = list(SiteProbe.objects.filter(url=url, at__gte=start, at__lte=end).values_list("ok", flat=True))
    for findings in InspectionRun.objects.filter(unit=unit, on_date__gte=since, url=url).values_list(
        "findings", flat=True
    ):
        probe = (findings or {}).get("probe")
        if isinstance(probe, dict) and isinstance(probe.get("ok"), bool):
            out.append(probe["ok"])
    return out


def exemptions(unit: Org) -> dict[str, str]:
    """标准目录 事项 key → the unit's reason for not applying."""
    return dict(ItemExemption.objects.filter(unit=unit).values_list("item", "reason"))


def bulletin_scores(units: list[Org], start: date, end: date) -> dict[int, int]:
    """The bulletin's 网站自查得分: each unit's last self-inspection score on or before the period's end."""
    out: dict[int, int] = {}
    rows = InspectionRun.objects.filter(unit__in=units, on_date__lte=end).order_by("unit_id", "ran_at", "id")
    for unit_id, score in rows.values_list("unit_id", "score").iterator():
        out[unit_id] = score  # the last one of each unit wins
    return out
