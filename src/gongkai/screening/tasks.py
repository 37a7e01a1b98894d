"""Background work: scanning a submitted entry (attachments can be large) and bulk rescans."""

from __future__ import annotations

import logging

from django_tasks import task

from gongkai.catalog.models import Entry
from gongkai.orgs.models import Org

from . import scanning
from .services import rescan_published

log = logging.getLogger(__name__)


@task()
def scan_submitted_entry(entry_id: int) -> int:
    """Scan every part of the entry; returns how many parts were (re)scanned."""
    entry = Entry.objects.select_related("unit").filter(pk=entry_id).first()
    if entry is None:  # deleted between submission and the worker picking it up
        return 0
    return len(scanning.scan_entry(entry=entry, trigger="submit"))


@task()
def rescan_published_entries(unit_id: int | None = None) -> int:
    """Returns the number of entries that raised an alert."""

    unit = Org.objects.filter(pk=unit_id).first() if unit_id else None
    return rescan_published(unit=unit).with_findings
