"""Background work: the push to the configured endpoint (run by ``gongkai worker``)."""

from __future__ import annotations

import logging

from django_tasks import default_task_backend, task

from gongkai.core import priorities

from . import push

log = logging.getLogger(__name__)


@task(priority=priorities.BULK)  # an HTTP call with retries: never ahead of a page refresh
def push_changes(force: bool = False) -> int:
    """Send the changes the endpoint has not acknowledged; after a failure, queue itself for the retry time
    (where the task backend can defer; otherwise the next change or ``gongkai harvest-push`` retries).
    Returns how many records were acknowledged. ``force``: 立即推送 on the 汇聚推送 page, not waiting out the pause."""
    outcome = push.push_pending(force=force)
    if outcome.failed and outcome.retry_at is not None and default_task_backend.supports_defer:
        push_changes.using(run_after=outcome.retry_at).enqueue()
    return outcome.sent
