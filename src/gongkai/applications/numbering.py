"""Tracking numbers, query codes and letter numbers: per unit and year, gap-free, taken under a lock."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction

from gongkai.orgs.models import Org

from .models import Counter

# No 0/O, 1/I/L: the code is read off a phone screen and typed in by elderly applicants.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def next_serial(unit: Org, year: int, series: str) -> int:
    """Take the next serial. Runs inside the caller's transaction, so a rollback returns it (gap-free)."""
    return next_serials(unit, year, series, 1)[0]


def next_serials(unit: Org, year: int, series: str, count: int) -> range:
    """Take the next ``count`` serials at once (an import of historical cases). Runs inside the caller's
    transaction, so a rollback returns them (gap-free).

    The counter row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so two
    concurrent submissions never share a number.
    """
    assert transaction.get_connection().in_atomic_block, "next_serial needs a transaction"
    Counter.objects.bulk_create([Counter(unit=unit, year=year, series=series)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(unit=unit, year=year, series=series)
    first = counter.last_serial + 1
    counter.last_serial += count
    counter.save(update_fields=["last_serial"])
    return range(first, counter.last_serial + 1)


def tracking_number(unit: Org, year: int, serial: int) -> str:
    return f"YSQ-{unit.code}-{year}-{serial:05d}"


def new_query_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(code.split()).upper()


def hash_code(tracking: str, code: str) -> str:
    """HMAC with the site secret: a stolen database does not reveal the codes, and checking is cheap
    (the lookup is rate-limited, so a slow password hash buys nothing)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{tracking}:{normalize_code(code)}".encode(), hashlib.sha256).hexdigest()


def code_matches(tracking: str, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_code(tracking, code), stored_hash)
