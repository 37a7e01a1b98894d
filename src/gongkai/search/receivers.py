"""Keep the index in step with what the public sees."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from gongkai.catalog.models import Entry, EntryStatus

from . import indexing
from .tasks import index_entry

log = logging.getLogger(__name__)
_deferred: ContextVar[set[int] | None] = ContextVar("gongkai_indexing_deferred", default=None)


@contextmanager
def indexing_deferred() -> Iterator[set[int]]:
    """Index the entries published or changed inside the block once, in this process, when it ends, instead
    of queuing one background task per change.

    For bulk seeding (``gongkai demo``): hundreds of publications would otherwise leave the worker hundreds
    of ``index_entry`` tasks, and search would find nothing until it had drained them. Withdrawals still
    leave the index at once. Yields the set of collected entry ids. If the block raises, nothing is indexed
    (``gongkai reindex`` catches up).
    """
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield ids
    finally:
        _deferred.reset(token)
    if ids:
        indexing.index_entries(sorted(ids))


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", **_: Any) -> None:
    """Sent after commit. A withdrawn entry leaves the index here and now, not in a queue (no window in which
    a withdrawn document is still findable); anything else is re-indexed in a background task."""
    status = Entry.objects.filter(pk=entry_id).values_list("status", flat=True).first()
    if reason == "withdraw" or status != EntryStatus.PUBLISHED:
        indexing.remove_entry(entry_id)
        return
    collected = _deferred.get()
    if collected is not None:
        collected.add(entry_id)
        return
    try:
        index_entry.enqueue(entry_id)
    except Exception:  # the publication is committed: a failed enqueue must not turn it into an error page
        log.exception("could not queue indexing of entry %s (%s)", entry_id, reason)
