"""Hooks from the catalog and the org tree to the static site."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from gongkai.catalog.models import Category
from gongkai.orgs.models import Org

from .tasks import refresh_category_entry_pages, refresh_entry_pages, refresh_unit_pages

log = logging.getLogger(__name__)


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", category_ids: Any = (), **_: Any) -> None:
    """Sent after commit by the catalog services: queue the refresh; the publisher never waits for it."""

    try:
        refresh_entry_pages.enqueue(entry_id, sorted(int(i) for i in category_ids or ()))
    except Exception:  # the publication is committed: a failed enqueue must not turn it into an error page
        log.exception("could not queue site refresh for entry %s (%s)", entry_id, reason)


def _queue_unit(unit_id: int) -> None:

    try:
        refresh_unit_pages.enqueue(unit_id)
    except Exception:
        log.exception("could not queue site refresh for unit %s", unit_id)


def on_category_renamed(sender: Any, category_id: int, **_: Any) -> None:

    try:
        refresh_category_entry_pages.enqueue(category_id)
    except Exception:
        log.exception("could not queue refresh of the entries of column %s", category_id)


def on_org_saved(sender: Any, instance: Org, raw: bool = False, **_: Any) -> None:
    """The guide shows the office's address and phone: it must follow every change (Art. 53(2))."""
    if raw or not instance.pk:
        return
    try:
        unit_id = instance.unit().pk
    except ValueError:
        return
    transaction.on_commit(lambda: _queue_unit(unit_id))


def on_category_saved(sender: Any, instance: Category, raw: bool = False, **_: Any) -> None:
    if raw:
        return
    unit_id = instance.unit_id
    transaction.on_commit(lambda: _queue_unit(unit_id))
