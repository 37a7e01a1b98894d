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
    if getattr(settings, "GONGKAI_PUSH_URL", ""):
        try:
            push_changes.enqueue()
        except Exception:
            log.exception("could not queue the harvest push after entry %s", entry_id)
