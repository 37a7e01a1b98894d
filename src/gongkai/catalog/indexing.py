"""Index numbers (索引号): per unit and year, gap-free, assigned once at first publication."""

from __future__ import annotations

from django.db import transaction

from gongkai.orgs.models import Org

from .models import Entry, IndexCounter


def format_index(unit: Org, year: int, serial: int) -> str:
    return unit.index_pattern.format(code=unit.code, year=year, serial=serial)


def assign_index_number(entry: Entry, year: int) -> str:
    """Take the next serial of ``entry.unit`` for ``year``. Must run inside the publishing transaction.

    The counter row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers), and it is
    advanced in the same transaction that publishes the entry, so a rolled-back publication returns its
    serial and concurrent publications never share or skip one.
    """
    assert transaction.get_connection().in_atomic_block, "assign_index_number needs a transaction"
    if entry.index_number:
        return entry.index_number
    IndexCounter.objects.bulk_create([IndexCounter(unit=entry.unit, year=year)], ignore_conflicts=True)
    counter = IndexCounter.objects.select_for_update().get(unit=entry.unit, year=year)
    serial = counter.last_serial + 1
    number = format_index(entry.unit, year, serial)
    # An imported entry may already carry this number from the old system: skip past it.
    while Entry.objects.filter(index_number=number).exists():
        serial += 1
        number = format_index(entry.unit, year, serial)
    counter.last_serial = serial
    counter.save(update_fields=["last_serial"])
    entry.index_number, entry.index_year, entry.index_serial = number, year, serial
    return number
