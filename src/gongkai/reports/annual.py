"""The annual report's numbers (spec §2): tables 二, 三, 四, the statistics the seeds count by hand, and
the cross-checks of §2.3. Every figure is an SQL aggregate (``values``/``annotate``/``Count``); Python only
folds the handful of grouped rows into the JSON shape of issue 5.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from gongkai import rules
from gongkai.applications import selectors as app_selectors
from gongkai.applications.models import Application, FeeNotice
from gongkai.catalog.models import Category, Entry, EntryStatus, EntryVersion, Validity
from gongkai.channels import selectors as channels
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.models import Org
from gongkai.workdays.calendar import CalendarNotLoaded, count_workdays

from . import spec
from .models import AnnualReport
from .numbers import one_decimal, percent

HISTORY_YEARS = 5
MIN_YEAR = 2008  # the first year of the 2007 Regulation

#: Catalog columns counted in table 二, matched by slug or name (imported catalogs use names), one level deep.
TABLE2_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "regulations": (("regulations",), ("规章",)),
    "normative_documents": (("normative",), ("行政规范性文件", "规范性文件")),
    "licensing_decisions": (("licensing",), ("行政许可",)),
    "punishment_decisions": (("punishment",), ("行政处罚",)),
    "enforcement_decisions": (("enforcement",), ("行政强制",)),
}
PUBLIC_STATUSES = (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)


def unit_orgs(org: Org, include_children: bool) -> QuerySet[Org]:
    return org.subtree() if include_children else Org.objects.filter(pk=org.pk)


def check_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed({"year": ["年度应为四位数字，如 2025"]}) from None
    if not MIN_YEAR <= value <= timezone.localdate().year:
        raise ValidationFailed({"year": [f"年度应在 {MIN_YEAR} 年到 {timezone.localdate().year} 年之间"]})
    return value


def _category_q(key: str) -> Q:
    slugs, names = TABLE2_CATEGORIES[key]
    return (
        Q(category__slug__in=slugs)
        | Q(category__name__in=names)
        | Q(category__parent__slug__in=slugs)
        | Q(category__parent__name__in=names)
    )


def _entries(org: Org, include_children: bool) -> QuerySet[Entry]:
    if include_children:
        return Entry.objects.filter(unit__in=unit_orgs(org, True))
    return Entry.objects.filter(unit=org)


#: Table 二's decision rows: a number of decisions, not of entries (issue 16 item 6).
DECISION_KEYS = ("licensing_decisions", "punishment_decisions", "enforcement_decisions")
DOCUMENT_KEYS = ("regulations", "normative_documents")


def _document_counts(key: str, start: date, end: date) -> dict[str, Q]:
    """制发/废止/现行有效 of one block, all on the same documents so that 上年现行有效 + 本年制发 − 本年废止 =
    本年现行有效: 制发 by the 成文 date (the document's own date, not the day it reached the website), 废止 by the
    失效/废止 date, 现行有效 = made by 31 December and not repealed or expired by then."""
    cat = _category_q(key) & Q(status=EntryStatus.PUBLISHED)
    gone = Q(validity__in=[Validity.REPEALED, Validity.EXPIRED])
    return {
        "issued": cat & Q(formed_date__range=(start, end)),
        "repealed": cat & gone & Q(invalid_date__range=(start, end)) & Q(formed_date__lte=end),
        "in_force": cat & Q(formed_date__lte=end) & (~gone | Q(invalid_date__gt=end)),
        "in_force_last_year": cat & Q(formed_date__lt=start) & (~gone | Q(invalid_date__gte=start)),
    }


def proactive(
    org: Org,
    year: int,
    *,
    include_children: bool = False,
    fees_wan_yuan: Any = 0,
    decisions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Table 二 in one aggregate query.

    规章/规范性文件: see ``_document_counts`` (制发 by 成文日期). 处理决定数量: the number the office entered in
    the report editor (``decisions``), else the pre-fill — each entry of the category published in the year
    counts the decisions it declares (``Entry.decision_count``, e.g. a quarterly list of 30 permits) or one.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = _entries(org, include_children).filter(status__in=PUBLIC_STATUSES)
    aggs: dict[str, Any] = {}
    for key in DOCUMENT_KEYS:
        for part, q in _document_counts(key, start, end).items():
            aggs[f"{key}__{part}"] = Count("pk", filter=q)
    issued = Q(published_date__range=(start, end))
    for key in DECISION_KEYS:
        cat = _category_q(key) & issued
        aggs[f"{key}__prefill"] = Sum(Coalesce("decision_count", Value(1)), filter=cat)
        aggs[f"{key}__entries"] = Count("pk", filter=cat)
        aggs[f"{key}__declared"] = Count("pk", filter=cat & Q(decision_count__isnull=False))
    row = qs.aggregate(**aggs)
    out: dict[str, Any] = {}
    for key in DOCUMENT_KEYS:
        out[key] = {part: int(row[f"{key}__{part}"] or 0) for part in ("issued", "repealed", "in_force")}
    entered = decisions or {}
    for key in DECISION_KEYS:
        value = entered.get(key)
        out[key] = int(value) if value is not None else int(row[f"{key}__prefill"] or 0)
    fees = Decimal(str(fees_wan_yuan or 0)).normalize()
    out["fees_wan_yuan"] = int(fees) if fees == fees.to_integral_value() else float(fees)
    return out


def proactive_sources(
    org: Org, year: int, *, include_children: bool = False, decisions: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Where each figure of table 二 comes from, for the report's notes, the editor and the balance check."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = _entries(org, include_children).filter(status__in=PUBLIC_STATUSES)
    issued = Q(published_date__range=(start, end))
    aggs: dict[str, Any] = {}
    for key in DOCUMENT_KEYS:
        aggs[f"{key}__last"] = Count("pk", filter=_document_counts(key, start, end)["in_force_last_year"])
    for key in DECISION_KEYS:
        cat = _category_q(key) & issued
        aggs[f"{key}__prefill"] = Sum(Coalesce("decision_count", Value(1)), filter=cat)
        aggs[f"{key}__entries"] = Count("pk", filter=cat)
        aggs[f"{key}__declared"] = Count("pk", filter=cat & Q(decision_count__isnull=False))
    row = qs.aggregate(**aggs)
    entered = decisions or {}
    out: dict[str, Any] = {key: {"in_force_last_year": int(row[f"{key}__last"] or 0)} for key in DOCUMENT_KEYS}
    for key in DECISION_KEYS:
        out[key] = {
            "prefill": int(row[f"{key}__prefill"] or 0),
            "entries": int(row[f"{key}__entries"] or 0),
            "declared": int(row[f"{key}__declared"] or 0),
            "entered": entered.get(key),
        }
    return out


def decision_note(sources: dict[str, Any]) -> list[str]:
    """The report's notes on how table 二 is counted (issue 16: "the annual report's notes say how")."""
    notes = [
        "表二中规章、规范性文件“本年制发件数”按文件成文（印发）日期统计，“本年废止件数”按失效或废止日期统计，"
        "“现行有效件数”为截至12月31日已制发且未废止、未失效的件数。"
    ]
    labels = {
        "licensing_decisions": "行政许可",
        "punishment_decisions": "行政处罚",
        "enforcement_decisions": "行政强制",
    }
    parts = []
    for key, label in labels.items():
        src = sources.get(key) or {}
        if src.get("entered") is not None:
            parts.append(f"{label}{src['entered']}件（由公开办核定填写；按本年公示预填为{src.get('prefill', 0)}件）")
        elif src.get("entries"):
            parts.append(
                f"{label}{src['prefill']}件（按本年发布的{src['entries']}条结果公示统计，其中{src['declared']}条注明了所列决定件数，"
                "其余每条按1件计）"
            )
    if parts:
        notes.append("处理决定数量：" + "；".join(parts) + "。")
    return notes


def entry_statistics(org: Org, year: int, *, include_children: bool = False) -> dict[str, Any]:
    """Entries published in the year (withdrawn later still count: they were published), by top-level
    category, by month, the multi-year trend and Art. 26 timeliness in working days."""
    base = _entries(org, include_children).filter(status__in=PUBLIC_STATUSES)
    in_year = base.filter(published_date__range=(date(year, 1, 1), date(year, 12, 31)))

    per_category = list(in_year.values("category_id", "category__path").annotate(n=Count("pk")).order_by())
    top_of: dict[int, int] = {}
    for item in per_category:
        ids = [int(p) for p in str(item["category__path"]).strip("/").split("/") if p]
        top_of[item["category_id"]] = ids[0] if ids else item["category_id"]
    names = dict(Category.objects.filter(pk__in=set(top_of.values())).values_list("pk", "name"))
    by_name: dict[str, int] = {}
    for item in per_category:
        name = names.get(top_of[item["category_id"]], "")
        by_name[name] = by_name.get(name, 0) + item["n"]
    total = sum(by_name.values())
    by_category = [
        {"category": name, "count": n, "percent": percent(n, total)}
        for name, n in sorted(by_name.items(), key=lambda kv: (-kv[1], kv[0]))
    ]

    by_month = [0] * 12
    months = in_year.annotate(m=ExtractMonth("published_date")).values("m").annotate(n=Count("pk")).order_by()
    for month in months:
        by_month[int(month["m"]) - 1] = month["n"]

    first = year - HISTORY_YEARS + 1
    counts = {
        int(item["y"]): item["n"]
        for item in base.filter(published_date__range=(date(first, 1, 1), date(year, 12, 31)))
        .annotate(y=ExtractYear("published_date"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by()
    }
    history = [{"year": y, "count": counts.get(y, 0)} for y in range(first, year + 1)]

    t = in_year.aggregate(
        avg=Avg("lag_workdays"),
        max=Max("lag_workdays"),
        over=Count("pk", filter=Q(lag_workdays__gt=rules.get("publication").workdays)),  # Art. 26
    )
    # 变更 published this year (Art. 26 "形成或者变更之日起"): counted from the day the information changed
    changes = EntryVersion.objects.filter(
        entry__in=base, changed_date__isnull=False, published_date__year=year
    ).aggregate(n=Count("pk"), over=Count("pk", filter=Q(lag_workdays__gt=rules.get("publication").workdays)))
    timeliness = {
        "avg_workdays": one_decimal(t["avg"]),
        "max_workdays": int(t["max"] or 0),
        "over_limit": int(t["over"] or 0),
        "changes": int(changes["n"] or 0),
        "changes_over_limit": int(changes["over"] or 0),
    }
    return {
        "total": total,
        "by_category": by_category,
        "by_month": by_month,
        "history": history,
        "timeliness": timeliness,
    }


def applications_table(org: Org, year: int, *, include_children: bool = False) -> dict[str, Any]:
    """Table 三 in the national row order (every row present, zeros included) and new cases by channel."""
    counts = app_selectors.counts_for_year(org, year, include_subunits=include_children)
    columns = spec.column_keys()
    assert list(counts["columns"]) == columns, "applicant columns differ from the national format"
    zero = [0] * len(columns)
    rows = {key: list(counts["rows"].get(key, zero)) for key in spec.row_keys()}
    return {
        "columns": columns,
        "rows": rows,
        "by_channel": app_selectors.channel_counts_for_year(org, year, include_subunits=include_children),
    }


def appeals_table(org: Org, year: int, *, include_children: bool = False) -> dict[str, Any]:
    counts = app_selectors.appeal_counts_for_year(org, year, include_subunits=include_children)
    cols = [k for k, _ in spec.table4_columns()]
    return {group: {c: int(counts.get(group, {}).get(c, 0)) for c in cols} for group, _ in spec.table4_groups()}


# --- checks (spec §2.3, §2.4) ---------------------------------------------------------------------------


#: Every cross-check of §2.3/§2.4, in the order the editor lists them, with what it compares.
CHECKS: dict[str, str] = {
    "balance": "表三每列：一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度",
    "total_handled": "表三每列：（七）总计 = （一）至（六）各项之和",
    "total_column": "表三每行：总计 = 自然人与法人或其他组织各列之和",
    "negative": "表三没有负数",
    "carry_over": "表三“二、上年结转” = 上年报告“四、结转下年度继续办理”",
    "appeal_total": "表四每组：总计 = 维持 + 纠正 + 其他 + 尚未审结",
}


def check_summary(failed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each check with pass/fail and, when it failed, the messages with their numbers (for the editor)."""
    return [
        {
            "check": key,
            "label": label,
            "passed": not [f for f in failed if f["check"] == key],
            "messages": [f["message"] for f in failed if f["check"] == key],
        }
        for key, label in CHECKS.items()
    ]


def _failure(check: str, message: str, **where: Any) -> dict[str, Any]:
    return {"check": check, **where, "message": message}


def run_checks(
    data: dict[str, Any],
    previous_carried_over: list[int] | None = None,
    previous_in_force: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The failed checks of a report dict (empty list = all pass). Pure: works on any dict of the shape,
    so a report read back from JSON can be checked the same way."""
    failed: list[dict[str, Any]] = []
    apps = data["applications"]
    columns: list[str] = apps["columns"]
    rows: dict[str, list[int]] = apps["rows"]
    results = spec.result_keys()
    short = {
        "new": "一、本年新收",
        "carried_in": "二、上年结转",
        "total_handled": "三（七）总计",
        "carried_over": "四、结转下年度继续办理",
    }
    for i, col in enumerate(columns):
        label = spec.column_label(col)
        r = {k: rows[k][i] for k in short}
        if r["new"] + r["carried_in"] != r["total_handled"] + r["carried_over"]:
            failed.append(
                _failure(
                    "balance",
                    f"表三“{label}”列：{short['new']}（{r['new']}）+ {short['carried_in']}（{r['carried_in']}）"
                    f"≠ {short['total_handled']}（{r['total_handled']}）+ {short['carried_over']}"
                    f"（{r['carried_over']}）",
                    column=col,
                )
            )
        leaves = sum(rows[k][i] for k in results)
        if leaves != r["total_handled"]:
            failed.append(
                _failure(
                    "total_handled",
                    f"表三“{label}”列：（七）总计（{r['total_handled']}）≠ （一）至（六）各项之和（{leaves}）",
                    column=col,
                )
            )
    total_idx = columns.index("total")
    for key, values in rows.items():
        parts = sum(v for j, v in enumerate(values) if j != total_idx)
        if parts != values[total_idx]:
            failed.append(
                _failure(
                    "total_column",
                    f"表三“{spec.row_label(key)}”行：总计（{values[total_idx]}）"
                    f"≠ 自然人与法人或其他组织各列之和（{parts}）",
                    row=key,
                )
            )
        if any(v < 0 for v in values):
            failed.append(_failure("negative", f"表三“{spec.row_label(key)}”行有负数", row=key))
    if previous_carried_over is not None and list(previous_carried_over) != list(rows["carried_in"]):
        failed.append(
            _failure(
                "carry_over",
                f"表三“二、上年结转政府信息公开申请数量”{rows['carried_in']} ≠ 上年报告“四、结转下年度继续办理”"
                f"{list(previous_carried_over)}",
                row="carried_in",
            )
        )
    for key, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        p = data["proactive"][key]
        last = (previous_in_force or {}).get(key)
        if last is not None and last + p["issued"] - p["repealed"] != p["in_force"]:
            failed.append(
                _failure(
                    "table2_balance",
                    f"表二“{label}”：上年现行有效（{last}）+ 本年制发（{p['issued']}）− 本年废止（{p['repealed']}）"
                    f"≠ 本年现行有效（{p['in_force']}）",
                    row=key,
                )
            )
    for group, glabel in spec.table4_groups():
        g = data["appeals"][group]
        parts = g["upheld"] + g["corrected"] + g["other"] + g["pending"]
        if parts != g["total"]:
            failed.append(
                _failure(
                    "appeal_total",
                    f"表四“{glabel}”：总计（{g['total']}）≠ 结果维持、结果纠正、其他结果、尚未审结之和（{parts}）",
                    group=group,
                )
            )
    return failed


def previous_carried_over(org: Org, year: int, *, include_children: bool = False) -> list[int]:
    """Last year's 四: as published if last year's report went out through the platform, else computed."""

    published = (
        AnnualReport.objects.filter(
            unit=org,
            year=year - 1,
            include_children=include_children,
            data__isnull=False,
            entry__status=EntryStatus.PUBLISHED,
        )
        .values_list("data", flat=True)
        .first()
    )
    if isinstance(published, dict):
        try:
            return list(published["applications"]["rows"]["carried_over"])
        except (KeyError, TypeError):
            pass
    counts = app_selectors.counts_for_year(org, year - 1, include_subunits=include_children)
    return list(counts["rows"]["carried_over"])


def previous_in_force(
    org: Org, year: int, *, include_children: bool = False, computed: dict[str, Any] | None = None
) -> dict[str, int]:
    """Last year's 现行有效件数 of 规章 and 规范性文件: as published if last year's report went out through the
    platform (so a document backdated or imported since shows up as a mismatch), else from the records."""
    published = (
        AnnualReport.objects.filter(
            unit=org,
            year=year - 1,
            include_children=include_children,
            data__isnull=False,
            entry__status=EntryStatus.PUBLISHED,
        )
        .values_list("data", flat=True)
        .first()
    )
    out: dict[str, int] = {}
    for key in DOCUMENT_KEYS:
        try:
            out[key] = int(published["proactive"][key]["in_force"])  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            source = computed or proactive_sources(org, year, include_children=include_children)
            out[key] = int(source[key]["in_force_last_year"])
    return out


def annual_report_data(org: Org, year: int, *, include_children: bool = False) -> dict[str, Any]:
    """The open-data JSON of the annual report (issue 5): the same numbers every other format shows."""

    year = check_year(year)
    row = (
        AnnualReport.objects.filter(unit=org, year=year, include_children=include_children)
        .values("fees_wan_yuan", "decisions")
        .first()
    )
    saved: dict[str, Any] = dict(row) if row else {}
    decisions = saved.get("decisions") or {}
    data: dict[str, Any] = {
        "org": {"code": org.code, "name": org.name},
        "year": year,
        "proactive": proactive(
            org,
            year,
            include_children=include_children,
            fees_wan_yuan=saved.get("fees_wan_yuan") or 0,
            decisions=decisions,
        ),
        "proactive_sources": proactive_sources(org, year, include_children=include_children, decisions=decisions),
        "applications": applications_table(org, year, include_children=include_children),
        "appeals": appeals_table(org, year, include_children=include_children),
        "entries": entry_statistics(org, year, include_children=include_children),
    }
    data["checks"] = run_checks(
        data,
        previous_carried_over(org, year, include_children=include_children),
        previous_in_force(org, year, include_children=include_children, computed=data["proactive_sources"]),
    )
    return data


def extra_facts(org: Org, year: int, *, include_children: bool = False) -> dict[str, Any]:
    """Figures for the narrative that are not in the open-data JSON: reply times, fees collected and the
    entries published from applications (Art. 44, 依申请公开转主动公开).

    Reply times need the statutory calendar, so the cases are grouped by (received, replied) date pair in
    SQL and each distinct pair is counted once in working days.
    """

    units = unit_orgs(org, include_children)
    pairs = (
        Application.objects.filter(unit__in=units, reply__replied_on__year=year, received_on__isnull=False)
        .values("received_on", "reply__replied_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total_days = cases = longest = 0
    missing_calendar = False
    for p in pairs:
        received, replied = p["received_on"], p["reply__replied_on"]
        if received is None or replied is None:
            continue
        try:
            days = count_workdays(received, replied)
        except CalendarNotLoaded:
            missing_calendar = True
            continue
        total_days += days * p["n"]
        cases += p["n"]
        longest = max(longest, days)
    fees = FeeNotice.objects.filter(application__unit__in=units, paid_on__year=year).aggregate(
        total=Sum("amount"), n=Count("pk")
    )
    return {
        "reply_avg_workdays": one_decimal(Decimal(total_days) / cases) if cases else 0,
        "reply_max_workdays": longest,
        "replied_cases": cases,
        "reply_calendar_missing": missing_calendar,
        "fees_yuan": Decimal(fees["total"] or 0),
        "fee_cases": int(fees["n"] or 0),
        "channels_summary": channels.units_summary(list(units), year),
        "promoted": app_selectors.promoted_count(org, year, include_subunits=include_children),  # Art. 44
    }
