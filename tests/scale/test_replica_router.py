"""The database router against a real streaming replica (pg_basebackup of the test server, hot standby on
another loopback port): public reads go to the standby, staff read their own writes, writes never go there."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import Entry, EntryStatus
from gongkai.core import dbrouter
from tests.factories import PASSWORD
from tests.scale.conftest import REPLICA, caught_up

# One standby for the whole file: under pytest-xdist (--dist loadgroup) its tests run on one worker.
pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.xdist_group("pg_replica"),
]


def _titles(client: Client) -> list[str]:
    response = client.get("/api/v1/entries")
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


def _entry_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "catalog_entry" in q["sql"]]


def test_a_public_api_read_is_answered_by_the_standby(routed: Any, draft: Any, publish: Any) -> None:
    entry = publish(draft(title="关于公布汛期值班安排的通知"))
    caught_up()
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        titles = _titles(Client())
    assert entry.title in titles
    assert _entry_queries(on_replica)
    assert not _entry_queries(on_primary)
    with connections[REPLICA].cursor() as cur:
        cur.execute("select pg_is_in_recovery()")
        assert cur.fetchone()[0] is True


def test_staff_see_their_change_at_once_while_the_standby_lags(routed: Any, people: dict[str, Any], draft: Any) -> None:
    entry = services.submit_for_review(actor=people["drafter"], entry=draft(title="关于调整办事大厅开放时间的公告"))
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    caught_up()
    test_db = connections["default"].settings_dict["NAME"]
    with routed.connect(test_db) as standby:
        standby.execute("select pg_wal_replay_pause()")
        try:
            staff = Client()
            assert staff.login(username=people["signer"].username, password=PASSWORD)
            response = staff.post(reverse("staff:entry_action", args=[entry.pk, "sign_publish"]))
            assert response.status_code == 302
            assert Entry.objects.get(pk=entry.pk).status == EntryStatus.PUBLISHED
            assert dbrouter.PIN_COOKIE in staff.cookies

            # The public reads the standby, which has not replayed the publication yet …
            assert entry.title not in _titles(Client())
            # … while the signer, pinned to the primary by the POST, sees it in the API and in search.
            assert entry.title in _titles(staff)
            assert entry.title in staff.get("/search/", {"q": "办事大厅"}).content.decode()
        finally:
            standby.execute("select pg_wal_replay_resume()")
    caught_up()
    assert entry.title in _titles(Client())


def test_writes_and_transactions_never_use_the_standby(routed: Any, people: dict[str, Any], draft: Any) -> None:
    with dbrouter.reads_from_replica(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert router.db_for_read(Entry) == REPLICA
        assert router.db_for_write(Entry) == "default"
        assert router.db_for_read(Session) == "default"  # sessions, accounts, rate limits: primary only
        with transaction.atomic():
            assert router.db_for_read(Entry) == "default"  # a transaction reads its own writes
        entry = draft(title="关于征集民生实事项目的通知")  # a service: reads and writes in one transaction
    assert Entry.objects.using("default").filter(pk=entry.pk).exists()
    written = [
        q["sql"]
        for q in on_replica.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert written == []
    # And the standby would refuse one anyway.
    with pytest.raises(Exception, match="read-only"), connections[REPLICA].cursor() as cur:
        cur.execute("update catalog_entry set title = 'x' where id = %s", [entry.pk])


def test_the_standby_is_a_copy_not_a_second_primary(routed: Any) -> None:
    with routed.connect() as standby, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        standby.execute("create table gongkai_should_not_exist (id int)")
