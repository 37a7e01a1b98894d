"""Which database errors are worth waiting out: the worker retries these, and fails fast on everything else."""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError

# SQLite: another connection holds the write lock (SQLITE_BUSY) or a table lock (SQLITE_LOCKED).
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "database schema is locked", "busy")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from or during, without looping on a cyclic chain."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if any(e is s for s in seen):
            continue
        seen.append(e)
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return seen


def _one_is_transient(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return any(text in str(exc).lower() for text in _SQLITE_TRANSIENT)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite-only installs may drop it
        psycopg = None  # type: ignore[assignment]
    if psycopg is not None and isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        # Connection refused or lost, server restarting, deadlock, serialization failure, lock or statement
        # timeout: all of them go away by themselves. Errors in the SQL itself are ProgrammingError/DataError.
        return True
    if isinstance(exc, OperationalError | InterfaceError):
        # Django's wrapper: decide on the driver's exception it was raised from (checked in the chain), or
        # on the message when Django raised it itself ("connection already closed").
        cause = exc.__cause__
        if cause is None:
            message = str(exc).lower()
            return any(text in message for text in (*_SQLITE_TRANSIENT, "connection", "closed"))
    return False


def is_transient_db_error(exc: BaseException) -> bool:
    """True if ``exc`` is, or was caused by, a database error that waiting and reconnecting will cure."""
    return any(_one_is_transient(e) for e in _chain(exc))
