"""Background work: re-rendering the pages a change touches (run by ``gongkai worker``)."""

from __future__ import annotations

from django_tasks import task

from gongkai.core import priorities

from . import builder


@task(priority=priorities.SITE)
def refresh_entry_pages(entry_id: int, category_ids: list[int]) -> int:
    """Returns how many files changed, for the task result log."""
    return len(builder.refresh_entry(entry_id, category_ids))


@task(priority=priorities.SITE)
def refresh_category_entry_pages(category_id: int) -> int:
    return len(builder.refresh_category_entries(category_id))


@task(priority=priorities.SITE)
def refresh_unit_pages(unit_id: int) -> int:
    return len(builder.refresh_unit(unit_id))


@task(priority=priorities.SITE)
def refresh_message_pages(unit_id: int) -> int:
    """互动交流: a unit's 留言选登 and statistics pages, after a reply was published or taken down."""
    return len(builder.refresh_messages(unit_id))
