"""Background work: scanning an entry whose content changed (attachments can be large) and bulk rescans."""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.catalog.models import Entry
from gongkai.core import priorities
from gongkai.orgs.models import Org

from . import scanning
from .services import rescan_published

log = logging.getLogger(__name__)


@task(priority=priorities.INTERACTIVE)
def scan_submitted_entry(entry_id: int, trigger: str = "submit") -> int:
    """Scan every part of the entry not scanned as it is now; returns how many parts were (re)scanned.

    Queued when an entry is created, edited, gets or loses an attachment (``trigger`` "edit"), when it is
    submitted for review ("submit") and when a scan outside the worker met a scanned file not recognised yet
    ("ocr"). The name stays: queued rows name the task by its dotted path.
    """
    entry = Entry.objects.select_related("unit").filter(pk=entry_id).first()
    if entry is None:  # deleted between the change and the worker picking it up
        return 0
    # The worker is where OCR runs: scanned attachments not in the cache are recognised here.
    return len(scanning.scan_entry(entry=entry, trigger=trigger, run_ocr=True))


@task(priority=priorities.BULK)
def scan_unit_entries(unit_id: int) -> int:
    """The unit's sensitive-word list changed: scan its unpublished entries again. Returns how many got new
    verdicts."""
    return scanning.scan_unit_entries(unit_id, trigger="words", run_ocr=True)


@task(priority=priorities.BULK)
def rescan_published_entries(unit_id: int | None = None) -> int:
    """Returns the number of entries that raised an alert."""

    unit = Org.objects.filter(pk=unit_id).first() if unit_id else None
    return rescan_published(unit=unit).with_findings
