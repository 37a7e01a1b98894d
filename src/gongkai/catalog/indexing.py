"""Index numbers (索引号): per unit and year, gap-free, assigned once at first publication."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from gongkai.orgs.models import Org

from .models import Entry, IndexCounter


def format_index(unit: Org, year: int, serial: int) -> str:
    return unit.index_pattern.format(code=unit.code, year=year, serial=serial)


def take_index_numbers(unit: Org, year: int, count: int, *, reserved: Collection[str] = ()) -> list[tuple[int, str]]:
    """Take the next ``count`` serials of ``unit`` for ``year``: ``(serial, index number)`` pairs in order.
    Must run inside the publishing (or importing) transaction.

    The counter row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers), and it is
    advanced in the same transaction that publishes the entries, so a rolled-back publication returns its
    serials and concurrent publications never share or skip one. A number an imported entry already carries
    from the old system (in the database, or in ``reserved``: the file being imported) is skipped, never
    reused.
    """
    assert transaction.get_connection().in_atomic_block, "take_index_numbers needs a transaction"
    if count <= 0:
        return []
    IndexCounter.objects.bulk_create([IndexCounter(unit=unit, year=year)], ignore_conflicts=True)
    counter = IndexCounter.objects.select_for_update().get(unit=unit, year=year)
    out: list[tuple[int, str]] = []
    serial = counter.last_serial + 1
    while len(out) < count:
        batch = [(s, format_index(unit, year, s)) for s in range(serial, serial + min(count - len(out), 900))]
        used = set(Entry.objects.filter(index_number__in=[n for _, n in batch]).values_list("index_number", flat=True))
        out.extend((s, n) for s, n in batch if n not in used and n not in reserved)
        serial = batch[-1][0] + 1
    counter.last_serial = out[-1][0]
    counter.save(update_fields=["last_serial"])
    return out


def assign_index_number(entry: Entry, year: int) -> str:
    """Give ``entry`` the next index number of its unit for ``year`` (see ``take_index_numbers``)."""
    assert transaction.get_connection().in_atomic_block, "assign_index_number needs a transaction"
    if entry.index_number:
        return entry.index_number
    ((serial, number),) = take_index_numbers(entry.unit, year, 1)
    entry.index_number, entry.index_year, entry.index_serial = number, year, serial
    return number
