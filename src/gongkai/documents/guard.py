"""Nothing slow inside a database transaction.

Rendering a PDF takes a second or more, building a font subset a minute. Inside a transaction that time
holds row locks (PostgreSQL) or the one write lock of the whole database (SQLite, where every other writer
then fails with "database is locked"). Writers render first and store the result in a short transaction;
the document writers call ``forbid_in_transaction`` so a regression shows up in tests and development
instead of as lock timeouts in production (where it only logs).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)


class RenderInTransaction(RuntimeError):
    """A document was rendered (or a font built) while a database transaction was open."""


def _open(connection: Any) -> bool:
    if not connection.in_atomic_block:
        return False
    blocks = getattr(connection, "atomic_blocks", None)
    if not blocks:
        return True  # autocommit switched off by hand: a transaction all the same
    # The atomic blocks Django's TestCase (and pytest-django's ``db`` fixture) wraps around each test are
    # marked; only blocks opened by the code under test count.
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def open_transaction() -> str | None:
    """The alias of a connection with a transaction open by application code, or None."""
    for connection in connections.all(initialized_only=True):
        if _open(connection):
            return str(connection.alias)
    return None


def forbid_in_transaction(what: str) -> None:
    """Raise (test and development) or log (production) when called inside a transaction."""
    alias = open_transaction()
    if alias is None:
        return
    message = (
        f"{what} inside an open database transaction (database {alias!r}): render first, then store the "
        "result in a short transaction"
    )
    if getattr(settings, "GONGKAI_ENV", "production") in ("test", "development"):
        raise RenderInTransaction(message)
    log.warning(message)
