"""Staff pages of the self-inspection (自查): the overview of the units a user sees (a county supervisor: every
unit of the county with score, veto and the monthly history chart), a unit's latest run with its findings and
links, and the 重新检查 button that queues the inspection as a background task (GET never writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core.errors import DomainError, NotAllowed, ValidationFailed
from gongkai.documents import jobs
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import rectify, selectors, services
from .chart import history_svg
from .models import Rectification
from .tasks import run_inspection_task


def _unit(request: HttpRequest, code: str) -> Org:
    unit = Org.objects.filter(code=code, kind__in=selectors.UNIT_KINDS).first()
    if unit is None or not selectors.can_view(request.user, unit):
        raise Http404("没有找到该单位的自查记录")
    return unit


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = selectors.visible_units(request.user)
    latest = selectors.latest_by_unit(units)
    overdue = rectify.overdue(units)
    rows = [
        {
            "unit": u,
            "run": latest.get(u.pk),
            "overdue": overdue.get(u.pk, 0),
            "chart": history_svg(selectors.monthly(u), f"{u.name}自查得分（按月）"),
        }
        for u in units
    ]
    return render(request, "inspection/index.html", {"rows": rows})


def _unit_page(request: HttpRequest, unit: Org, extra: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    run = selectors.latest(unit)
    history = list(selectors.runs(unit).defer("findings")[:24])
    return render(
        request,
        "inspection/unit.html",
        {
            "unit": unit,
            "run": run,
            "result": run.findings if run else None,
            "history": history,
            "chart": history_svg(selectors.monthly(unit), f"{unit.name}自查得分（按月）"),
            "exemptions": selectors.exemptions(unit),
            "may_manage": perms.can_manage_unit(request.user, unit),
            "may_supervise": perms.can_supervise(request.user, unit),
            "notices": list(Rectification.objects.filter(unit=unit).order_by("-issued_at", "-id")[:50]),
            "default_workdays": rectify.default_workdays(),
        }
        | (extra or {}),
        status=status,
    )


@login_required
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    return _unit_page(request, _unit(request, code))


@login_required
@require_POST
def item_applies(request: HttpRequest, code: str) -> HttpResponse:
    """The unit says a 标准目录 事项 does not apply to it (with a reason), or applies again."""
    unit = _unit(request, code)
    item = request.POST.get("item", "")
    reason = request.POST.get("reason", "")
    try:
        services.set_item_applies(
            actor=request.user, unit=unit, item=item, applies=request.POST.get("applies") == "1", reason=reason
        )
    except ValidationFailed as exc:
        return _unit_page(
            request, unit, {"item_errors": exc.errors, "item_key": item, "item_reason": reason}, status=400
        )
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("inspection:unit", code=unit.code)
    messages.success(request, f"已保存“{item}”的适用情况，下次检查时生效。")
    return redirect("inspection:unit", code=unit.code)


@login_required
@require_POST
def recheck(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(request, code)
    run_inspection_task.enqueue(unit.pk, request.user.pk)
    messages.success(request, f"已将{unit.name}的重新检查加入后台队列，完成后本页显示新的结果。")
    return redirect("inspection:unit", code=unit.code)


# --------------------------------------------------------------------------- 督查整改通知书


@login_required
@require_POST
def issue_rectification(request: HttpRequest, code: str) -> HttpResponse:
    """The county supervisor turns the ticked problems of the unit's latest self-inspection into a notice."""
    unit = _unit(request, code)
    run = selectors.latest(unit)
    picked = [int(v) for v in request.POST.getlist("problem") if v.isdigit() and len(v) < 6]
    workdays = str(request.POST.get("workdays", ""))[:10]
    if run is None:
        messages.error(request, "该单位尚未自查，没有可以下发整改的问题")
        return redirect("inspection:unit", code=unit.code)
    try:
        notice = rectify.issue(actor=request.user, run=run, picked=picked, workdays=workdays)
    except ValidationFailed as exc:
        extra = {
            "rectify_errors": exc.errors,
            "rectify_general": exc.errors.get("__all__", []),
            "picked": picked,
            "typed_workdays": workdays,
        }
        return _unit_page(request, unit, extra, status=400)
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("inspection:unit", code=unit.code)
    messages.success(request, f"已下发{notice.number}，整改期限 {notice.due_date:%Y-%m-%d}。")
    return redirect("inspection:rectification", pk=notice.pk)


def _notice(request: HttpRequest, pk: int) -> Rectification:
    notice = get_object_or_404(Rectification.objects.select_related("unit", "county", "issued_by"), pk=pk)
    if not rectify.may_see(request.user, notice):
        raise Http404("没有找到该整改通知书")
    return notice


@login_required
def rectification(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice: its problems with whether the newest self-inspection still finds each, the unit's answer,
    and the step each person may take (报送整改情况 / 退回重改 / 销号)."""
    notice = _notice(request, pk)
    errors: dict[str, list[str]] = {}
    typed, step = "", ""
    if request.method == "POST":
        step, typed = str(request.POST.get("step", ""))[:20], str(request.POST.get("text", ""))
        try:
            rectify.take(actor=request.user, notice=notice, step=step, text=typed)
        except ValidationFailed as exc:
            errors = exc.errors
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("inspection:rectification", pk=notice.pk)
        else:
            messages.success(request, f"已{rectify.TRANSITIONS[step].label}。")
            return redirect("inspection:rectification", pk=notice.pk)
    run, found = rectify.still_found(notice)
    context = {
        "notice": notice,
        "problems": list(zip(notice.problems, found, strict=True)),
        "recheck_run": run,
        "steps": rectify.allowed_steps(notice, request.user),
        "errors": errors,
        "typed": typed,
        "typed_step": step,
        "overdue": notice.overdue(),
        "may_supervise": perms.can_supervise(request.user, notice.unit),
    }
    return render(request, "inspection/rectification.html", context, status=400 if errors else 200)


@login_required
@require_POST
def rectification_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as PDF (rendered by the task worker) or DOCX: a document job, shown on its own page."""
    notice = _notice(request, pk)
    fmt = "docx" if request.POST.get("format") == "docx" else "pdf"
    job = jobs.start(
        actor=request.user,
        kind="rectification",
        params={"pk": notice.pk, "format": fmt},
        title=f"{notice.number}整改通知书（{fmt.upper()}）",
        back_url=reverse("inspection:rectification", args=[notice.pk]),
        unit=notice.unit,
    )
    return redirect("documents:job", pk=job.pk)
