"""Screening follows content, not page views: an entry is scanned when what it holds changes (created,
edited, an attachment added or removed), when it is submitted, and when its unit's word list changes. The
scans run in the background; the publication gate scans whatever is still missing (2019 Regulation Art. 17:
保密审查 before publication), so a lost task delays a verdict and never skips it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import receiver

from gongkai.catalog.models import Entry
from gongkai.catalog.signals import entry_content_changed, entry_submitted

from .scanning import UNFINISHED, scan_entry
from .signals import ocr_needed, word_list_changed
from .tasks import scan_submitted_entry, scan_unit_entries

log = logging.getLogger(__name__)
_deferred: ContextVar[set[int] | None] = ContextVar("gongkai_scans_deferred", default=None)


@contextmanager
def scans_deferred() -> Iterator[set[int]]:
    """Scan the entries changed or submitted inside the block in this process when it ends, instead of
    queuing a background scan per change.

    For bulk seeding (``gongkai demo``): an entry that went on to pass review inside the block was scanned
    by the publication gate, so only the entries still unpublished are scanned here. Yields the set of
    collected entry ids. If the block raises, nothing is scanned (the gate scans whatever is missing before
    review can pass).
    """
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield ids
    finally:
        _deferred.reset(token)
    waiting = Entry.objects.select_related("unit").filter(pk__in=sorted(ids), status__in=UNFINISHED)
    for entry in waiting.order_by("pk"):
        scan_entry(entry=entry, trigger="submit", run_ocr=True)


def _queue(entry_id: int, trigger: str) -> None:
    collected = _deferred.get()
    if collected is not None:
        collected.add(entry_id)
        return
    try:
        scan_submitted_entry.enqueue(entry_id, trigger)
    except Exception:
        log.exception("could not enqueue the screening scan of entry %s", entry_id)


@receiver(entry_submitted, dispatch_uid="screening.scan_on_submit")
def scan_on_submit(sender: Any, entry_id: int, **kwargs: Any) -> None:
    _queue(entry_id, "submit")


@receiver(entry_content_changed, dispatch_uid="screening.scan_on_change")
def scan_on_change(sender: Any, entry_id: int, **kwargs: Any) -> None:
    _queue(entry_id, "edit")


@receiver(word_list_changed, dispatch_uid="screening.rescan_on_words")
def rescan_on_words(sender: Any, unit_id: int, **kwargs: Any) -> None:
    if _deferred.get() is not None:
        return  # seeding: the entries are scanned when the block ends, with the list as it is then
    try:
        scan_unit_entries.enqueue(unit_id)
    except Exception:
        log.exception("could not enqueue the rescan of unit %s after its word list changed", unit_id)


@receiver(ocr_needed, dispatch_uid="screening.recognise_in_worker")
def recognise_in_worker(sender: Any, entry_id: int, **kwargs: Any) -> None:
    _queue(entry_id, "ocr")
