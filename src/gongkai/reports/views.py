"""Staff pages: the annual report draft (computed tables, editable narrative, downloads, submission) and
the county bulletin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from gongkai.core.errors import DomainError, ValidationFailed
from gongkai.documents import jobs
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org, OrgKind

from . import annual as annual_checks
from . import bulletin, exports, narrative, services
from . import render as rendering
from .annual import check_year


def _visible_units(user: Any) -> list[Org]:
    """Units whose report the user may read: their own units, and for a supervisor every unit below."""
    ids = {g.unit_id for g in perms.grants(user) if g.role in services.READ_ROLES}
    units = list(Org.objects.filter(pk__in=ids, is_active=True))
    for g in perms.grants(user):
        if g.role == "supervisor":
            units.extend(
                Org.objects.filter(path__startswith=f"{g.org_path}{g.org_id}/", kind__in=list(rendering_kinds()))
            )
            units.extend(Org.objects.filter(pk=g.org_id))
    seen: dict[int, Org] = {}
    for u in sorted(units, key=lambda o: (o.path, o.sort_order, o.pk)):
        if u.is_unit:
            seen.setdefault(u.pk, u)
    return list(seen.values())


def rendering_kinds() -> set[str]:
    return {OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.STREET}


def _unit(request: HttpRequest, code: str) -> Org:
    unit = Org.objects.filter(code=code).first()
    if unit is None or not unit.is_unit or not services.can_view(request.user, unit):
        raise Http404("没有找到该单位的年度报告")
    return unit


def _year(value: Any) -> int:
    try:
        return check_year(value)
    except ValidationFailed:
        raise Http404("年度无效") from None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = _visible_units(request.user)
    if not units:
        raise Http404("没有可查看的年度报告")
    last_year = timezone.localdate().year - 1
    rows = []
    for unit in units:
        report = services.report_for(unit, last_year)
        rows.append({"unit": unit, "report": report, "reminder": services.reminder(unit)})
    return render(
        request,
        "reports/staff/index.html",
        {"rows": rows, "year": last_year, "years": list(range(last_year, last_year - 6, -1))},
    )


def _blank_if_none(value: Any) -> Any:
    return "" if value is None else value


@login_required
def annual(request: HttpRequest, code: str, year: str) -> HttpResponse:
    unit = _unit(request, code)
    y = _year(year)
    include_children = request.GET.get("all") == "1" and unit.kind in (OrgKind.COUNTY, OrgKind.TOWNSHIP)
    editable = services.can_edit(request.user, unit)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not editable:
            raise Http404("没有找到该单位的年度报告")
        include_children = request.POST.get("include_children") == "1"
        try:
            services.save_draft(
                actor=request.user,
                unit=unit,
                year=y,
                include_children=include_children,
                section_1=request.POST.get("section_1", ""),
                section_5=request.POST.get("section_5", ""),
                section_6=request.POST.get("section_6", ""),
                fees_wan_yuan=request.POST.get("fees_wan_yuan", "0"),
                decisions={key: request.POST.get(key, "") for key in services.DECISION_LABELS},
            )
            if request.POST.get("action") == "submit":
                services.submit_for_publication(
                    actor=request.user, unit=unit, year=y, include_children=include_children
                )
                messages.success(request, "年度报告已提交审核，审核、审签后发布到“政府信息公开年报”栏目。")
            else:
                messages.success(request, "已保存年度报告草稿。")
        except ValidationFailed as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = {"__all__": [exc.message]}
        else:
            url = reverse("reports:annual", args=[unit.code, y])
            return redirect(f"{url}?all=1" if include_children else url)
    doc = rendering.build(unit, y, include_children=include_children)
    report = services.report_for(unit, y, include_children)
    form = {
        "section_1": request.POST.get("section_1") if errors else doc.sections["section_1"],
        "section_5": request.POST.get("section_5") if errors else doc.sections["section_5"],
        "section_6": request.POST.get("section_6") if errors else doc.sections["section_6"],
        "fees_wan_yuan": request.POST.get("fees_wan_yuan") if errors else (report.fees_wan_yuan if report else 0),
    }
    sources = doc.data["proactive_sources"]
    decision_fields = [
        {
            "key": key,
            "label": label,
            "value": request.POST.get(key, "")
            if errors
            else ("" if sources[key]["entered"] is None else sources[key]["entered"]),
            "source": sources[key],
            "errors": errors.get(key, []),
        }
        for key, label in services.DECISION_LABELS.items()
    ]
    checks = annual_checks.check_summary(doc.data["checks"])
    prompts = {key: narrative.unfilled(str(form[key] or "")) for key in services.SECTION_LABELS}
    return render(
        request,
        "reports/staff/annual.html",
        {
            "unit": unit,
            "year": y,
            "doc": doc,
            "body": rendering.body_html(doc, with_charts=True),
            "report": report,
            "form": form,
            "decision_fields": decision_fields,
            "errors": errors,
            "editable": editable,
            "include_children": include_children,
            "can_include_children": unit.kind in (OrgKind.COUNTY, OrgKind.TOWNSHIP),
            "formats": rendering.FORMATS,
            "background_formats": exports.BACKGROUND_FORMATS,
            "reminder": services.reminder(unit),
            "checks": checks,
            "prompts": prompts,
            "prompts_left": [key for key, left in prompts.items() if left],
            "ready": all(c["passed"] for c in checks) and not any(prompts.values()),
            # (form field, element id, label, rows): the ids s1/s5/s6 are what the journeys and bookmarks use.
            "sections": [
                (
                    key,
                    f"s{key[-1]}",
                    f"{label}{'（可修改）' if key == 'section_1' else ''}",
                    12 if key == "section_1" else 6,
                )
                for key, label in services.SECTION_LABELS.items()
            ],
        },
        status=400 if errors else 200,
    )


@login_required
def annual_file(request: HttpRequest, code: str, year: str, fmt: str) -> HttpResponse:
    unit = _unit(request, code)
    y = _year(year)
    if fmt not in rendering.FORMATS:
        raise Http404("不支持的格式")
    include_children = request.GET.get("all") == "1" and unit.kind in (OrgKind.COUNTY, OrgKind.TOWNSHIP)
    page = reverse("reports:annual", args=[unit.code, y]) + ("?all=1" if include_children else "")
    if fmt in exports.BACKGROUND_FORMATS:
        # Rendered by the task worker; the job page shows "正在生成…" and then the download.
        if request.method != "POST":
            return redirect(page)
        job = jobs.start(
            actor=request.user,
            kind="annual_report",
            params={"unit": unit.code, "year": y, "all": include_children, "format": fmt},
            title=exports.annual_title(unit, y, include_children, fmt),
            back_url=page,
            unit=unit,
        )
        return redirect("documents:job", pk=job.pk)
    doc = rendering.build(unit, y, include_children=include_children)
    try:
        payload = rendering.render(doc, fmt)
    except DomainError as exc:  # e.g. no CJK font at all for the chart images
        messages.error(request, exc.message)
        return redirect(page)
    response = HttpResponse(payload, content_type=rendering.CONTENT_TYPES[fmt])
    # Always a download: the HTML file carries its own styles, which the staff pages' CSP would block.
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{y}-annual-report.{fmt}"'
    return response


def _bulletin_request(request: HttpRequest) -> tuple[Org, str, list[Org]]:
    counties = exports.bulletin_counties(request.user)
    if not counties:
        raise Http404("只有县级督查或县政务公开办可以查看通报")
    code = request.GET.get("org") or counties[0].code
    county = next((c for c in counties if c.code == code), None)
    if county is None:
        raise Http404("没有找到该县（区）")
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return county, request.GET.get("period") or last_month, counties


@login_required
def bulletin_page(request: HttpRequest) -> HttpResponse:
    county, period, counties = _bulletin_request(request)
    errors: dict[str, list[str]] = {}
    data = None
    rows: list[dict[str, Any]] = []
    sort = request.GET.get("sort", "rank")
    desc = request.GET.get("desc") == "1"
    try:
        data = bulletin.bulletin_data(county, period)
        rows = bulletin.sort_rows(data["rows"], sort, desc)
    except ValidationFailed as exc:
        errors = exc.errors
    return render(
        request,
        "reports/staff/bulletin.html",
        {
            "data": data,
            "rows": rows,
            "title": bulletin.title(data) if data else "政务公开工作通报",
            "columns": bulletin.columns_of(data),
            "sort": sort,
            "desc": desc,
            "sort_links": True,
            "drill": True,  # unit names link to that unit's entries (the exported files have no links)
            "period": period,
            "county": county,
            "counties": counties,
            "errors": errors,
        },
    )


@login_required
def bulletin_file(request: HttpRequest, fmt: str) -> HttpResponse:
    county, period, _ = _bulletin_request(request)
    if fmt not in ("html", "json", "xlsx", "pdf"):
        raise Http404("不支持的格式")
    page = reverse("reports:bulletin") + "?" + urlencode({"org": county.code, "period": period})
    if fmt in exports.BACKGROUND_FORMATS:
        if request.method != "POST":
            return redirect(page)
        job = jobs.start(
            actor=request.user,
            kind="bulletin",
            params={"county": county.code, "period": period.strip().upper(), "format": fmt},
            title=f"{county.name}政务公开工作通报 {period}（{fmt.upper()}）",
            back_url=page,
            unit=county,
        )
        return redirect("documents:job", pk=job.pk)
    try:
        data = bulletin.bulletin_data(county, period)
    except ValidationFailed as exc:
        messages.error(request, "；".join("，".join(v) for v in exc.errors.values()))
        return redirect(reverse("reports:bulletin"))
    response = HttpResponse(bulletin.render(data, fmt), content_type=rendering.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{county.code}-{data["period"]}-bulletin.{fmt}"'
    return response
