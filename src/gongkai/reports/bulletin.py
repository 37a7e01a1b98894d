"""The county's monthly or quarterly bulletin (通报) on its units: publications, timeliness, overdue
entries, late replies, freshness of the home page and of each watched column (spec §4.1), rank.

The periods are rules: ``publication`` (《条例》 Art. 26) for on-time and overdue entries, ``home_page_update``
(国办秘函〔2019〕19号 首页不更新: the "死网" warning) and the column rules of ``FRESHNESS_RULES`` (栏目不更新).

Every figure comes from a fixed number of grouped SQL queries (per unit or per column), however many
units the county has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai import rules
from gongkai.applications.models import Application
from gongkai.catalog.models import FRESHNESS_RULES, Category, Entry, EntryStatus
from gongkai.core.errors import ValidationFailed
from gongkai.documents.fonts import SANS_STACK, SERIF_STACK
from gongkai.documents.pdf import render_pdf
from gongkai.documents.xlsx import workbook_bytes
from gongkai.orgs.models import Org, OrgKind
from gongkai.workdays.calendar import CalendarNotLoaded, calendar

from .numbers import percent
from .render import document_style

COLUMNS = (
    ("rank", "排名"),
    ("name", "单位"),
    ("published", "本期发布信息（条）"),
    ("on_time_percent", "按时发布率（%）"),
    ("late_published", "超期发布（条）"),
    ("overdue_unpublished", "超期未发布（条）"),
    ("late_replies", "逾期答复申请（件）"),
    ("days_since_update", "距最近更新（天）"),
    ("stale_column_count", "未按期更新栏目（个）"),
    ("dead", f"{rules.get('home_page_update').chinese}以上未更新"),
)
#: Figures other apps add to each unit's row, after the columns above: ``(key, label, figures)`` where
#: ``figures(units, start, end)`` answers ``{unit id: value}`` (None shows as —) in a fixed number of queries.
#: Apps above reports register theirs in ``AppConfig.ready`` (reports may not import them): the self-inspection's
#: score and its overdue 整改通知书 (inspection.apps).
Figures = Callable[[list[Org], date, date], dict[int, Any]]
EXTRA_FIGURES: list[tuple[str, str, Figures]] = []


def register_figure(key: str, label: str, figures: Figures) -> None:
    if all(k != key for k, _, _ in EXTRA_FIGURES):
        EXTRA_FIGURES.append((key, label, figures))


def columns_of(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The bulletin's columns: the fixed ones and the registered figures the data was computed with."""
    return [*COLUMNS, *((k, label) for k, label in (data or {}).get("extra_columns", []))]


_PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|[Qq]([1-4]))$")


def parse_period(text: str) -> tuple[str, date, date]:
    m = _PERIOD.match((text or "").strip())
    if not m:
        raise ValidationFailed({"period": ["通报期间应为 年-月（如 2025-06）或 年-季度（如 2025-Q2）"]})
    year = int(m[1])
    if m[2]:
        month = int(m[2])
        start = date(year, month, 1)
        label = f"{year}年{month}月"
        months = 1
    else:
        quarter = int(m[3])
        start = date(year, 3 * quarter - 2, 1)
        label = f"{year}年第{'一二三四'[quarter - 1]}季度"
        months = 3
    nxt = date(start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1)
    end = nxt - timedelta(days=1)
    if start > timezone.localdate():
        raise ValidationFailed({"period": [f"{label}尚未开始"]})
    return label, start, end


def overdue_cutoff(end: date) -> date | None:
    """The latest formed date whose entry, unpublished on ``end``, has passed the Art. 26 period."""
    limit = rules.get("publication").workdays
    day, seen = end, 0
    try:
        while True:
            if calendar.is_workday(day):
                seen += 1
                if seen == limit + 1:
                    return day - timedelta(days=1)
            day -= timedelta(days=1)
    except CalendarNotLoaded:
        return None


def bulletin_data(county: Org, period: str) -> dict[str, Any]:
    if county.kind != OrgKind.COUNTY:
        raise ValidationFailed({"org": [f"{county.name} 不是县（区），通报由县级政务公开办发布"]})
    label, start, end = parse_period(period)
    limit = rules.get("publication").workdays
    units = list(
        Org.objects.filter(
            path__startswith=f"{county.path}{county.pk}/",
            kind__in=[OrgKind.TOWNSHIP, OrgKind.STREET],
            is_active=True,
        ).order_by("path", "sort_order", "id")
    )
    ids = [u.pk for u in units]
    entries = Entry.objects.filter(unit_id__in=ids)
    public = entries.filter(status__in=[EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN])
    in_period = Q(published_date__range=(start, end))
    period_rows = {
        r["unit_id"]: r
        for r in public.values("unit_id")
        .annotate(
            published=Count("pk", filter=in_period),
            timed=Count("pk", filter=in_period & Q(lag_workdays__isnull=False)),
            on_time=Count("pk", filter=in_period & Q(lag_workdays__lte=limit)),
            late=Count("pk", filter=in_period & Q(lag_workdays__gt=limit)),
            last=Max("published_date", filter=Q(published_date__lte=end)),
        )
        .order_by()
    }
    cutoff = overdue_cutoff(end)
    overdue: dict[int, int] = {}
    if cutoff is not None:
        # Not published by the end of the period (still unpublished, or published after it), formed too long ago.
        overdue = {
            r["unit_id"]: r["n"]
            for r in entries.filter(formed_date__lte=cutoff)
            .filter(
                Q(status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED, EntryStatus.REVIEW, EntryStatus.SIGNOFF])
                | Q(published_date__gt=end)
            )
            .values("unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        }
    late_replies = {
        r["unit_id"]: r["n"]
        for r in Application.objects.filter(
            unit_id__in=ids, reply__replied_on__range=(start, end), reply__replied_on__gt=F("due_date")
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    watched = list(
        Category.objects.filter(unit_id__in=ids, is_retired=False, freshness__in=list(FRESHNESS_RULES))
        .annotate(
            last=Max(
                "entries__published_date",
                filter=Q(
                    entries__status__in=[EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN],
                    entries__published_date__lte=end,
                ),
            )
        )
        .values("unit_id", "name", "freshness", "last")
    )
    allowed = {kind: rules.get(key).calendar_days for kind, key in FRESHNESS_RULES.items()}
    stale: dict[int, list[dict[str, Any]]] = {}
    for col in watched:
        days = (end - col["last"]).days if col["last"] else None
        if days is None or days > allowed[col["freshness"]]:
            stale.setdefault(col["unit_id"], []).append({"column": col["name"], "days": days})

    dead_after = rules.get("home_page_update").calendar_days
    rows: list[dict[str, Any]] = []
    for unit in units:
        r: dict[str, Any] = dict(period_rows.get(unit.pk, {}))
        last = r.get("last")
        days = (end - last).days if last else None
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "published": int(r.get("published", 0)),
                "on_time_percent": percent(int(r.get("on_time", 0)), int(r.get("timed", 0)))
                if r.get("timed")
                else None,
                "late_published": int(r.get("late", 0)),
                "overdue_unpublished": overdue.get(unit.pk, 0) if cutoff is not None else None,
                "late_replies": late_replies.get(unit.pk, 0),
                "last_update": last.isoformat() if last else None,
                "days_since_update": days,
                "stale_columns": stale.get(unit.pk, []),
                "stale_column_count": len(stale.get(unit.pk, [])),
                "dead": days is None or days > dead_after,
            }
        )
    extra = [(key, label, figures(units, start, end)) for key, label, figures in EXTRA_FIGURES]
    for unit, row in zip(units, rows, strict=True):
        for name, _, values in extra:
            row[name] = values.get(unit.pk)
        row["extra_cells"] = [_cell(row, name) for name, _, _ in extra]
    # Competition ranking ("1224"): more published first; ties broken by the share published on time.
    key = [(row["published"], row["on_time_percent"] or 0) for row in rows]
    for row, k in zip(rows, key, strict=True):
        row["rank"] = 1 + sum(1 for other in key if other > k)
    rows.sort(key=lambda row: (row["rank"], row["code"]))
    return {
        "county": {"code": county.code, "name": county.name},
        "period": period.strip().upper(),
        "label": label,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "rows": rows,
        "dead_units": [row["name"] for row in rows if row["dead"]],
        "extra_columns": [[key, label] for key, label, _ in extra],
    }


SORTABLE = {k for k, _ in COLUMNS}


def sort_rows(rows: list[dict[str, Any]], key: str, descending: bool = False) -> list[dict[str, Any]]:
    if key not in SORTABLE and all(key != k for k, _, _ in EXTRA_FIGURES):
        return rows
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    return sorted(present, key=lambda r: r[key], reverse=descending) + missing


def title(data: dict[str, Any]) -> str:
    return f"{data['county']['name']}{data['label']}政务公开工作通报"


def to_html(data: dict[str, Any], *, standalone: bool = True) -> str:

    css = "table{border-collapse:collapse;width:100%;font-size:10pt}td,th{border:1px solid #000;padding:2px 4px}"
    if standalone:
        css = 'body{font-family:"Noto Serif CJK SC",serif;max-width:72em;margin:2em auto;padding:0 1em}' + css
    return render_to_string(
        "reports/bulletin_document.html",
        {"data": data, "title": title(data), "columns": columns_of(data), "style": document_style(css)},
    )


def _cell(row: dict[str, Any], key: str) -> Any:
    value = row.get(key)
    if key == "dead":
        return "是" if value else "否"
    if value is None:
        return "—" if key != "days_since_update" else "从未更新"
    return value


def to_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "通报"
    ws.append([title(data)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"统计期间：{data['start']} 至 {data['end']}"])
    ws.append([label for _, label in COLUMNS] + ["未按期更新的栏目"] + [label for _, label in data["extra_columns"]])
    for row in data["rows"]:
        stale = "、".join(
            f"{s['column']}（{s['days'] if s['days'] is not None else '从未更新'}）" for s in row["stale_columns"]
        )
        ws.append([_cell(row, k) for k, _ in COLUMNS] + [stale] + list(row.get("extra_cells", [])))
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["K"].width = 40
    return workbook_bytes(wb)


def to_pdf(data: dict[str, Any]) -> bytes:
    css = (
        f"@page {{ size: A4 landscape; margin: 20mm; }} html {{ font-family: {SERIF_STACK}; font-size: 11pt; }} "
        f"th, td {{ font-family: {SANS_STACK}; }} h1 {{ text-align: center; }}"
    )
    return render_pdf(to_html(data, standalone=False), css=css, families=("GK Serif", "GK Sans"))


def render(data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "html":
        return to_html(data).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(data)
    if fmt == "pdf":
        return to_pdf(data)
    raise ValueError(fmt)
