"""Every submission for review is scanned in the background."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gongkai.catalog.signals import entry_submitted

from .tasks import scan_submitted_entry

log = logging.getLogger(__name__)


@receiver(entry_submitted, dispatch_uid="screening.scan_on_submit")
def scan_on_submit(sender: Any, entry_id: int, **kwargs: Any) -> None:

    try:
        scan_submitted_entry.enqueue(entry_id)
    except Exception:
        # The publication gate scans whatever is missing, so a lost task delays the verdict, never skips it.
        log.exception("could not enqueue the screening scan of entry %s", entry_id)
