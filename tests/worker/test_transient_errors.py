"""Which database errors the worker waits out (locked, connection lost) and which it reports at once."""

from __future__ import annotations

import sqlite3

import psycopg
import psycopg.errors
import pytest
from django.db import IntegrityError, OperationalError

from gongkai.worker.transient import is_transient_db_error
from tests.procs import free_port


def raised(fn):  # type: ignore[no-untyped-def]
    try:
        fn()
    except BaseException as exc:
        return exc
    raise AssertionError("nothing raised")


def django_error(cls, cause):  # type: ignore[no-untyped-def]
    """What Django's wrap_database_errors makes of a driver error: its own class, raised from the driver's."""

    def fn() -> None:
        raise cls(*cause.args) from cause

    return raised(fn)


def test_a_real_sqlite_lock_is_transient(tmp_path):
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0.05)
    locked = raised(lambda: other.execute("INSERT INTO t VALUES (1)"))
    holder.execute("ROLLBACK")
    assert "locked" in str(locked)
    assert is_transient_db_error(locked)
    assert is_transient_db_error(django_error(OperationalError, locked))


def test_a_real_refused_postgresql_connection_is_transient():
    refused = raised(lambda: psycopg.connect(f"host=127.0.0.1 port={free_port()} user=x dbname=x connect_timeout=2"))
    assert isinstance(refused, psycopg.OperationalError)
    assert is_transient_db_error(django_error(OperationalError, refused))


@pytest.mark.parametrize(
    "error", [psycopg.errors.DeadlockDetected("deadlock"), psycopg.errors.AdminShutdown("terminating connection")]
)
def test_postgresql_deadlocks_and_restarts_are_transient(error):
    assert is_transient_db_error(django_error(OperationalError, error))


def test_a_task_error_raised_while_handling_a_lock_is_transient():
    def task() -> None:
        try:
            raise django_error(OperationalError, sqlite3.OperationalError("database is locked"))
        except OperationalError as exc:
            raise RuntimeError("索引更新失败") from exc

    assert is_transient_db_error(raised(task))


@pytest.mark.parametrize(
    "error",
    [
        django_error(OperationalError, sqlite3.OperationalError("no such table: django_tasks_database_dbtaskresult")),
        django_error(IntegrityError, sqlite3.IntegrityError("UNIQUE constraint failed")),
        django_error(IntegrityError, psycopg.errors.UniqueViolation("duplicate key")),
        ValueError("not a database error"),
    ],
)
def test_schema_errors_constraint_errors_and_bugs_are_not(error):
    assert not is_transient_db_error(error)
