"""The catalog listens to its own publication signal: a unit's drafting suggestions are retrained in the
background (``tasks.train_suggestions``, priority BULK) whenever one of its entries is published."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from gongkai.orgs.models import Org

from . import suggest
from .models import Entry, SuggestionModel
from .tasks import train_suggestions

log = logging.getLogger(__name__)
_deferred: ContextVar[set[int] | None] = ContextVar("gongkai_training_deferred", default=None)


@contextmanager
def training_deferred() -> Iterator[set[int]]:
    """Train the units whose entries were published inside the block once, in this process, when it ends,
    instead of queuing a task per publication (for bulk seeding such as ``gongkai demo``). If the block
    raises, nothing is trained (the next publication queues a training)."""
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield ids
    finally:
        _deferred.reset(token)
    for unit in Org.objects.filter(pk__in=sorted(ids)).order_by("pk"):
        suggest.retrain(unit=unit)


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", **_: Any) -> None:
    """Sent after commit: queue the retraining unless one is queued and not started yet (publication only;
    edits and withdrawals wait for the next)."""
    if reason != "publish":
        return
    unit_id = Entry.objects.filter(pk=entry_id).values_list("unit_id", flat=True).first()
    if unit_id is None:
        return
    collected = _deferred.get()
    if collected is not None:
        collected.add(unit_id)
        return
    with transaction.atomic():
        row, created = SuggestionModel.objects.get_or_create(unit_id=unit_id, defaults={"pending": True})
        if created or SuggestionModel.objects.filter(pk=row.pk, pending=False).update(pending=True):
            transaction.on_commit(lambda: _enqueue(unit_id))


def _enqueue(unit_id: int) -> None:
    try:
        train_suggestions.enqueue(unit_id)
    except Exception:
        SuggestionModel.objects.filter(unit_id=unit_id).update(pending=False)  # the next publication retries
        log.exception("could not enqueue the suggestion training of unit %s", unit_id)
