"""Keep the task table small: finished rows are removed after a while, by the worker itself.

Every page refresh, scan and index update leaves one row in ``django_tasks_db``'s table; a township that
publishes daily writes tens of thousands a year, and nobody runs ``prune_db_task_results`` by hand. The worker
calls ``prune`` at most once an hour (``GONGKAI_TASK_PRUNE_MINUTES``): succeeded rows older than
``GONGKAI_TASK_KEEP_DAYS`` (7) go, failed ones after ``GONGKAI_TASK_KEEP_FAILED_DAYS`` (30) so the dashboard
still lists what needs a retry. Deletion runs in batches of ``BATCH`` rows, each its own short transaction, so
on SQLite no batch holds the write lock for long. Unfinished rows are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

BATCH = 500


@dataclass(frozen=True)
class Pruned:
    succeeded: int
    failed: int

    @property
    def total(self) -> int:
        return self.succeeded + self.failed


def _delete_older(status: str, cutoff: datetime, limit: int | None) -> int:
    removed = 0
    while limit is None or removed < limit:
        size = BATCH if limit is None else min(BATCH, limit - removed)
        with transaction.atomic():
            ids = list(
                DBTaskResult.objects.filter(status=status, finished_at__lt=cutoff)
                .order_by("finished_at")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                break
            DBTaskResult.objects.filter(pk__in=ids).delete()
        removed += len(ids)
        if len(ids) < size:
            break
    return removed


def prune(now: datetime | None = None, limit: int | None = None) -> Pruned:
    """Remove finished task rows past their keeping time; ``limit`` caps the rows removed per status."""
    now = now or timezone.now()
    keep = timedelta(days=settings.GONGKAI_TASK_KEEP_DAYS)
    keep_failed = timedelta(days=settings.GONGKAI_TASK_KEEP_FAILED_DAYS)
    return Pruned(
        succeeded=_delete_older(TaskResultStatus.SUCCESSFUL, now - keep, limit),
        failed=_delete_older(TaskResultStatus.FAILED, now - keep_failed, limit),
    )
