"""Message numbers (LY-{unit code}-{year}-{serial}) unique per unit and year, taken under a row lock; query codes
are those of applications (same alphabet, HMAC with the site secret, never stored in clear)."""

from __future__ import annotations

from django.db import transaction

from gongkai.applications.numbering import code_matches, hash_code, new_query_code, normalize_code
from gongkai.orgs.models import Org

from .models import Counter

__all__ = ["code_matches", "hash_code", "new_query_code", "next_serial", "normalize_code", "number"]


def next_serial(unit: Org, year: int) -> int:
    """Runs inside the caller's transaction, so a rollback returns the serial (gap-free)."""
    assert transaction.get_connection().in_atomic_block, "next_serial needs a transaction"
    Counter.objects.bulk_create([Counter(unit=unit, year=year)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(unit=unit, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def number(unit: Org, year: int, serial: int) -> str:
    return f"LY-{unit.code}-{year}-{serial:05d}"
