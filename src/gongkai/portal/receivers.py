"""Hooks from the catalog and the org tree to the static site."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from gongkai.catalog.models import Category
from gongkai.orgs.models import Org

from .tasks import refresh_category_entry_pages, refresh_entry_pages, refresh_message_pages, refresh_unit_pages

log = logging.getLogger(__name__)
_paused: ContextVar[bool] = ContextVar("gongkai_site_refresh_paused", default=False)


@contextmanager
def refresh_paused() -> Iterator[None]:
    """Queue no page refresh for changes made inside the block (entries, org details, columns).

    For bulk seeding that a full ``gongkai build-site`` follows (``gongkai demo``, then ``make run`` builds
    the site): the build writes every page those refreshes would rewrite, so queuing them only leaves the
    worker a backlog of redundant tasks, behind which a real publication waits. Whoever pauses owns the
    rebuild: until it runs, the site does not show the changes.
    """
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def on_public_entry_changed(sender: Any, entry_id: int, reason: str = "", category_ids: Any = (), **_: Any) -> None:
    """Sent after commit by the catalog services: queue the refresh; the publisher never waits for it."""
    if _paused.get():
        return
    try:
        refresh_entry_pages.enqueue(entry_id, sorted(int(i) for i in category_ids or ()))
    except Exception:  # the publication is committed: a failed enqueue must not turn it into an error page
        log.exception("could not queue site refresh for entry %s (%s)", entry_id, reason)


def _queue_unit(unit_id: int) -> None:
    if _paused.get():
        return
    try:
        refresh_unit_pages.enqueue(unit_id)
    except Exception:
        log.exception("could not queue site refresh for unit %s", unit_id)


def on_screens_changed(sender: Any, unit_id: int, **_: Any) -> None:
    """A screen was added or changed (``channels.signals``, after commit): rewrite the unit's LED feeds."""
    _queue_unit(unit_id)


def on_column_services_changed(sender: Any, unit_id: int, **_: Any) -> None:
    """A column's 办事服务 links changed (``catalog.signals``, after commit): its list pages show them."""
    _queue_unit(unit_id)


def on_category_renamed(sender: Any, category_id: int, **_: Any) -> None:
    if _paused.get():
        return
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


def on_public_messages_changed(sender: Any, unit_id: int, **_: Any) -> None:
    """Sent after commit by interaction.handling (a reply published or taken down): queue the two pages."""
    if _paused.get():
        return
    try:
        refresh_message_pages.enqueue(unit_id)
    except Exception:
        log.exception("could not queue the refresh of the message pages of unit %s", unit_id)
