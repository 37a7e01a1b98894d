"""Staff actions on the background-task queue (the dashboard shows it; see ``queue.dashboard_panel``)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.core.errors import NotFound, ValidationFailed

from . import services, taskinfo


@login_required
@require_POST
def task_retry(request: HttpRequest, task_id: UUID) -> HttpResponse:
    try:
        row = services.retry_task(actor=request.user, task_id=str(task_id))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已重新排队：{taskinfo.label(row)}。")
    return redirect("staff:dashboard")
