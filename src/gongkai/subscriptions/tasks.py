"""Background work of the subscriptions app (run by ``gongkai worker``)."""

from __future__ import annotations

from django_tasks import task

from gongkai.core import priorities

from . import digest


@task(priority=priorities.BULK)
def send_digests() -> int:
    """The daily digest (``gongkai send-digests --enqueue`` queues it; cron may also run the command directly)."""
    return digest.send_digests().mails
