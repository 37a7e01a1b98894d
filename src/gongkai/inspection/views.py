"""Staff pages of the self-inspection (自查): the overview of the units a user sees (a county supervisor: every
unit of the county with score, veto and the monthly history chart), a unit's latest run with its findings and
links, and the 重新检查 button that queues the inspection as a background task (GET never writes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import selectors, services
from .chart import history_svg
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
    rows = [
        {
            "unit": u,
            "run": latest.get(u.pk),
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
