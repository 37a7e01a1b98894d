"""Keep the index in step with what the public sees."""

from __future__ import annotations

import logging
from typing import Any

from gongkai.catalog.models import Entry, EntryStatus

from . import indexing
from .tasks import index_entry

log = logging.getLogger(__name__)


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", **_: Any) -> None:
    """Sent after commit. A withdrawn entry leaves the index here and now, not in a queue (no window in which
    a withdrawn document is still findable); anything else is re-indexed in a background task."""
    status = Entry.objects.filter(pk=entry_id).values_list("status", flat=True).first()
    if reason == "withdraw" or status != EntryStatus.PUBLISHED:
        indexing.remove_entry(entry_id)
        return

    try:
        index_entry.enqueue(entry_id)
    except Exception:  # the publication is committed: a failed enqueue must not turn it into an error page
        log.exception("could not queue indexing of entry %s (%s)", entry_id, reason)
