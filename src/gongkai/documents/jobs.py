"""Documents that take longer than a click: started by a view, rendered by the task worker, fetched later.

``start`` records a ``DocumentJob`` and, after commit, has ``tasks.run_job`` queued (``signals.job_created``);
the view redirects to the job's page, which refreshes itself ("正在生成…") until the file is there. ``run``
renders outside any transaction and stores the file (Django storage, MEDIA) before one short update marks the
job done. A second click with the same parameters while the first job is queued or running joins it (unique
constraint on user + fingerprint among active jobs), so a double click never renders twice.

Apps register what they can render (``register("annual_report", fn)`` in ``AppConfig.ready``); a renderer
receives the requesting user and the job's parameters, checks permissions again, and returns ``Rendered``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.errors import DomainError, NotAllowed

from .models import ACTIVE, DocumentJob, JobStatus
from .signals import job_created

log = logging.getLogger(__name__)

#: Finished jobs and their files are removed after this long: they are exports, the data lives on.
KEEP = timedelta(days=7)
#: A job still queued after this long probably has no worker to run it; the page says so.
STALLED = timedelta(minutes=2)


@dataclass
class Rendered:
    data: bytes
    filename: str
    content_type: str


Renderer = Callable[[Any, dict[str, Any]], Rendered]
_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def fingerprint(kind: str, params: dict[str, Any]) -> str:
    text = json.dumps([kind, params], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def start(
    *, actor: Any, kind: str, params: dict[str, Any], title: str, back_url: str = "", unit: Any = None
) -> DocumentJob:
    """The active job for these parameters, or a new one queued for the worker.

    The caller has checked that ``actor`` may read what the job renders; the renderer checks again.
    ``unit`` is the unit the file is about: the queue panel shows a failed task to that unit's administrator.
    Not audited: an export changes nothing, like the downloads it replaces.
    """
    if kind not in _renderers:
        raise ValueError(f"no renderer for {kind!r}")
    fp = fingerprint(kind, params)
    active = Q(created_by=actor, fingerprint=fp, status__in=ACTIVE)
    existing = DocumentJob.objects.filter(active).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(
                kind=kind,
                params=params,
                fingerprint=fp,
                title=title[:200],
                back_url=back_url[:300],
                created_by=actor,
                unit=unit,
            )
            job_id, unit_id = str(job.pk), job.unit_id
            transaction.on_commit(lambda: job_created.send(sender=DocumentJob, job_id=job_id, unit_id=unit_id))
    except IntegrityError:
        # The other click of a double click committed first: show its job.
        return DocumentJob.objects.get(active)
    return job


def requeue(*, actor: Any, job: DocumentJob) -> DocumentJob:
    """重新生成: a failed job starts again as a new one; a stalled queued one is queued once more."""
    if job.created_by_id != actor.pk:
        raise NotAllowed("只能重新生成自己请求的文件")
    if job.status == JobStatus.PENDING:
        job_created.send(sender=DocumentJob, job_id=str(job.pk), unit_id=job.unit_id)
        return job
    return start(actor=actor, kind=job.kind, params=job.params, title=job.title, back_url=job.back_url, unit=job.unit)


def _finish(job: DocumentJob, **fields: Any) -> int:
    with transaction.atomic():
        return DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            finished_at=timezone.now(), **fields
        )


def run(job_id: str) -> str:
    """Render one job (the task body). Idempotent: a finished job is left alone, a job cut off by a killed
    worker (still running) is rendered again when ``recover-tasks`` re-queues it."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().select_related("created_by").filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE:
            return "skipped"
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    renderer = _renderers.get(job.kind)
    try:
        if renderer is None:
            raise DomainError(f"无法生成“{job.kind}”类型的文件")
        out = renderer(job.created_by, job.params)
    except DomainError as exc:
        _finish(job, status=JobStatus.FAILED, error=exc.message[:500])
        return "failed"
    except Exception as exc:  # the worker must survive anything a renderer does
        log.exception("document job %s (%s) failed", job.pk, job.kind)
        _finish(job, status=JobStatus.FAILED, error=f"生成时出错（{type(exc).__name__}），请重新生成或联系管理员")
        return "failed"
    # The file first (outside the transaction), then one short update; a job finished meanwhile by a
    # duplicate run keeps its own file and this one is removed.
    job.file.save(out.filename, ContentFile(out.data), save=False)
    done = _finish(
        job,
        status=JobStatus.DONE,
        file=job.file.name,
        filename=out.filename[:200],
        content_type=out.content_type[:100],
    )
    if not done:
        job.file.delete(save=False)
    purge()
    return "done" if done else "skipped"


def purge(now: Any = None) -> int:
    """Remove jobs (and files) older than ``KEEP``."""
    cutoff = (now or timezone.now()) - KEEP
    old = list(DocumentJob.objects.filter(created_at__lt=cutoff).exclude(status__in=ACTIVE)[:200])
    for job in old:
        if job.file:
            job.file.delete(save=False)
    DocumentJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def stalled(job: DocumentJob, now: Any = None) -> bool:
    return job.status == JobStatus.PENDING and (now or timezone.now()) - job.created_at > STALLED
