"""The catalog's after-commit signal feeds the change log; the push to the configured endpoint follows."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from . import services
from .tasks import push_changes

log = logging.getLogger(__name__)


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", **_: Any) -> None:
    """Sent after the catalog service committed: log the change, then queue the push (if configured)."""
    try:
        services.record_change(entry_id, reason)
    except Exception:  # the publication is committed; `gongkai harvest-reconcile` records what is missing
        log.exception("could not log harvest change of entry %s (%s)", entry_id, reason)
        return
    _queue_push(entry_id)


def on_category_renamed(sender: Any, category_id: int, **_: Any) -> None:
    """A column's new name is part of every record under it (the category path): each is updated."""
    try:
        count = services.record_category_renamed(category_id)
    except Exception:
        log.exception("could not log harvest changes after column %s was renamed", category_id)
        return
    if count:
        _queue_push(None)


def _queue_push(entry_id: int | None) -> None:
    if getattr(settings, "GONGKAI_PUSH_URL", ""):
        try:
            push_changes.enqueue()
        except Exception:
            log.exception("could not queue the harvest push (entry %s)", entry_id)
