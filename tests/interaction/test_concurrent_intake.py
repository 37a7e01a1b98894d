"""Simultaneous submissions on PostgreSQL: none lost, numbers unique and gap-free; two identical ones at the same
moment store one (the duplicate check runs under the unit's counter lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from gongkai.interaction import intake
from gongkai.interaction.models import Message

from .conftest import message_data

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(n: int, make: Any) -> tuple[list[str], list[BaseException]]:
    from tests.factories import make_tree

    tree = make_tree()
    barrier = threading.Barrier(n)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        try:
            barrier.wait()
            message, _ = intake.submit_online(unit=tree.town, data=make(i))
            numbers.append(message.number)
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return numbers, errors


def test_simultaneous_submissions_get_unique_numbers(calendar_until_next_year: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serialises writers anyway)")
    n = 12
    numbers, errors = _race(n, lambda i: message_data(content=f"第{i}条留言：村里的路灯坏了，请修理。"))
    assert not errors
    assert len(set(numbers)) == n == Message.objects.count()
    assert sorted(int(x.rsplit("-", 1)[1]) for x in numbers) == list(range(1, n + 1))


def test_simultaneous_identical_submissions_store_one(calendar_until_next_year: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serialises writers anyway)")
    numbers, errors = _race(6, lambda i: message_data())
    assert len(numbers) == 1 and Message.objects.count() == 1
    assert len(errors) == 5 and all(numbers[0] in str(getattr(e, "errors", e)) for e in errors)
