"""Background work: the push to the configured endpoint (run by ``gongkai worker``)."""

from __future__ import annotations

import logging

from django_tasks import default_task_backend, task

from gongkai.core import priorities

from . import push

log = logging.getLogger(__name__)


@task(priority=priorities.BULK)  # an HTTP call with retries: never ahead of a page refresh
def push_changes() -> int:
    """Send the changes the endpoint has not acknowledged; after a failure, queue itself for the retry time
    (where the task backend can defer; otherwise the next change or ``gongkai harvest-push`` retries).
    Returns how many records were acknowledged."""
    outcome = push.push_pending()
    if outcome.failed and outcome.retry_at is not None and default_task_backend.supports_defer:
        push_changes.using(run_after=outcome.retry_at).enqueue()
    return outcome.sent
