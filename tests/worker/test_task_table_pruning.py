"""The worker keeps the task table small by itself: succeeded rows go after GONGKAI_TASK_KEEP_DAYS, failed ones
after GONGKAI_TASK_KEEP_FAILED_DAYS, unfinished ones never; in batches, and only when the queue is idle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.portal.tasks import refresh_unit_pages
from gongkai.worker import pruning
from gongkai.worker.loop import Worker

pytestmark = pytest.mark.usefixtures("db_tasks")


def rows(tree, status: str, days_ago: float, n: int = 1) -> list[str]:
    ids = [str(refresh_unit_pages.enqueue(tree.town.pk).id) for _ in range(n)]
    finished = timezone.now() - timedelta(days=days_ago) if status in ("SUCCESSFUL", "FAILED") else None
    DBTaskResult.objects.filter(pk__in=ids).update(status=status, finished_at=finished)
    return ids


def test_old_finished_rows_go_and_the_rest_stay(tree, settings):
    settings.GONGKAI_TASK_KEEP_DAYS = 7
    settings.GONGKAI_TASK_KEEP_FAILED_DAYS = 30
    old_ok = rows(tree, "SUCCESSFUL", 8, n=3)
    new_ok = rows(tree, "SUCCESSFUL", 6)
    old_failed = rows(tree, "FAILED", 31)
    recent_failed = rows(tree, "FAILED", 8)  # still listed on the dashboard for a retry
    waiting = rows(tree, "READY", 0)
    done = pruning.prune()
    assert (done.succeeded, done.failed) == (3, 1)
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {*new_ok, *recent_failed, *waiting}
    assert not {*old_ok, *old_failed} & {str(pk) for pk in left}


def test_batches_and_a_limit(tree, monkeypatch):
    monkeypatch.setattr(pruning, "BATCH", 2)
    rows(tree, "SUCCESSFUL", 9, n=5)
    assert pruning.prune(limit=3).succeeded == 3
    assert pruning.prune().succeeded == 2
    assert not DBTaskResult.objects.exists()


def test_the_idle_worker_prunes_at_most_once_per_period(tree, settings):
    settings.GONGKAI_TASK_PRUNE_MINUTES = 60
    worker = Worker(queue_names=["default"], interval=0.1, batch=False)
    rows(tree, "SUCCESSFUL", 9, n=2)
    worker._maybe_prune()
    assert not DBTaskResult.objects.exists()
    rows(tree, "SUCCESSFUL", 9)
    worker._maybe_prune()  # within the hour: nothing
    assert DBTaskResult.objects.count() == 1
    settings.GONGKAI_TASK_PRUNE_MINUTES = 0  # turned off
    worker._last_prune = float("-inf")
    worker._maybe_prune()
    assert DBTaskResult.objects.count() == 1
