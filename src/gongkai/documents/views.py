"""The page of a background document: "正在生成…" (refreshing itself, no script under the CSP), then the
download. Only the staff member who asked for the file sees it."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import jobs
from .models import DocumentJob, JobStatus

#: Seconds between refreshes of a page still waiting for its file.
REFRESH_SECONDS = 2


def _job(request: HttpRequest, pk: UUID) -> DocumentJob:
    job = DocumentJob.objects.filter(pk=pk, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404("没有找到该文件（生成的文件保留 7 天）")
    return job


@login_required
def job_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = _job(request, pk)
    now = timezone.now()
    return render(
        request,
        "documents/job.html",
        {
            "job": job,
            "refresh": REFRESH_SECONDS if job.active else None,
            "waited": int((now - job.created_at).total_seconds()),
            "stalled": jobs.stalled(job, now),
        },
    )


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = jobs.requeue(actor=request.user, job=_job(request, pk))
    return redirect("documents:job", pk=job.pk)


@login_required
def job_file(request: HttpRequest, pk: UUID) -> FileResponse:
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("文件尚未生成")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["Content-Type"] = job.content_type or "application/octet-stream"
    return response
