"""The staff page 归档移交 (Art. 45): a unit's 公开办管理员 starts a year's archive package (built by the task
worker as a ZIP) and downloads it; a 县级督查 sees the list of past exports, read-only, and downloads
nothing (the packages hold applicants' personal data, which only the handling unit's staff see)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.errors import DomainError
from gongkai.orgs import permissions as perms
from gongkai.orgs.models import Org

from . import archive, tasks
from .models import ArchiveExport

#: Seconds between refreshes of an export page still waiting for its ZIP.
REFRESH_SECONDS = 3


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, archive.FIRST_YEAR - 1, -1))


def _page(request: HttpRequest, unit_id: str | None, error: str = "", status: int = 200) -> HttpResponse:
    units = list(archive.iter_units(request.user))
    if not units:
        return render(request, "ops/archive.html", {"units": []}, status=403)
    if unit_id is not None and not any(str(u.pk) == unit_id for u, _ in units):
        raise Http404("没有找到该单位")
    unit, can_export = next(((u, c) for u, c in units if str(u.pk) == unit_id), units[0])
    this_year = timezone.localdate().year
    context: dict[str, Any] = {
        "units": units,
        "unit": unit,
        "can_export": can_export,
        "exports": ArchiveExport.objects.filter(unit=unit).select_related("created_by")[:100],
        "years": _years(),
        "default_year": this_year - 1 if timezone.localdate().month < 7 else this_year,
        "error": error,
    }
    return render(request, "ops/archive.html", context, status=status)


@login_required
def archive_page(request: HttpRequest) -> HttpResponse:
    return _page(request, request.GET.get("unit"))


def _managed(request: HttpRequest, unit_id: int) -> Org:
    """The unit, if the user is its 公开办管理员: 404 for a unit outside their scope, 403 for one they only see."""
    unit = Org.objects.filter(pk=unit_id, is_active=True).first()
    visible = {u.pk: can for u, can in archive.iter_units(request.user)}
    if unit is None or unit.pk not in visible:
        raise Http404("没有找到该单位")
    perms.require(visible[unit.pk], "只有本单位公开办管理员可以归档移交")
    return unit


@login_required
@require_POST
def archive_start(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _managed(request, unit_id)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return _page(request, str(unit.pk), "请选择要归档的年度", status=400)
    try:
        export = tasks.start_export(actor=request.user, unit=unit, year=year)
    except DomainError as exc:
        return _page(request, str(unit.pk), exc.message, status=400)
    return redirect("ops:archive_export", pk=export.pk)


def _export(request: HttpRequest, pk: int) -> ArchiveExport:
    export = ArchiveExport.objects.select_related("unit").filter(pk=pk).first()
    if export is None:
        raise Http404("没有找到该归档记录")
    _managed(request, export.unit_id)
    return export


@login_required
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    waited = int((timezone.now() - export.created_at).total_seconds())
    return render(request, "ops/export.html", {"export": export, "refresh": REFRESH_SECONDS, "waited": waited})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _export(request, pk)
    if not export.file:
        raise Http404("归档包尚未生成（命令行生成的归档包在服务器目录中，不能在此下载）")
    name = f"{export.unit.display_name}{export.year}年度归档包.zip"
    # FileResponse streams the file from storage in blocks.
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
