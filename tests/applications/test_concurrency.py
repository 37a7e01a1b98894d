"""Concurrent online submissions get unique, gap-free tracking numbers (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from gongkai.applications import intake
from gongkai.applications.models import Application

from .conftest import applicant


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serialises writers anyway)")
    from tests.factories import make_tree

    tree = make_tree()
    n = 12
    barrier = threading.Barrier(n)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            app, _code = intake.submit_online(unit=tree.town, data=applicant())
            numbers.append(app.tracking_number)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(numbers)) == n
    serials = sorted(int(x.rsplit("-", 1)[1]) for x in numbers)
    assert serials == list(range(1, n + 1))  # gap-free
    assert Application.objects.count() == n
