"""Every submission for review is scanned in the background."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import receiver

from gongkai.catalog.models import Entry, EntryStatus
from gongkai.catalog.signals import entry_submitted

from .scanning import scan_entry
from .tasks import scan_submitted_entry

log = logging.getLogger(__name__)
_deferred: ContextVar[set[int] | None] = ContextVar("gongkai_scans_deferred", default=None)


@contextmanager
def scans_deferred() -> Iterator[set[int]]:
    """Scan the entries submitted inside the block in this process when it ends, instead of queuing a
    background scan per submission.

    For bulk seeding (``gongkai demo``): an entry that went on to pass review inside the block was scanned
    by the publication gate, and one returned to its drafter is scanned when it is submitted again, so only
    the entries still waiting in review are scanned here. Yields the set of collected entry ids. If the
    block raises, nothing is scanned (the gate scans whatever is missing before review can pass).
    """
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield ids
    finally:
        _deferred.reset(token)
    waiting = Entry.objects.select_related("unit").filter(pk__in=sorted(ids), status=EntryStatus.REVIEW)
    for entry in waiting.order_by("pk"):
        scan_entry(entry=entry, trigger="submit")


@receiver(entry_submitted, dispatch_uid="screening.scan_on_submit")
def scan_on_submit(sender: Any, entry_id: int, **kwargs: Any) -> None:
    collected = _deferred.get()
    if collected is not None:
        collected.add(entry_id)
        return
    try:
        scan_submitted_entry.enqueue(entry_id)
    except Exception:
        # The publication gate scans whatever is missing, so a lost task delays the verdict, never skips it.
        log.exception("could not enqueue the screening scan of entry %s", entry_id)
