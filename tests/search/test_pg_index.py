"""PostgreSQL: GIN alone, and GIN + RUM with phrases sent to RUM, give the same exact answers.

The backend picks the index per query (``PostgresBackend._index_for``). On the small fixture corpus every
phrase has few candidates and would go to GIN; setting the recheck limit to 0 sends every phrase to RUM, and
dropping the RUM index (inside the test's transaction) leaves GIN alone. The same ground truth holds in
every case, and the route actually taken is recorded and checked.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest
from django.db import connection

from gongkai.search import backends, pg_index, selectors

from .test_recall import found, samples, truth

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def routes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The index each search query was sent through."""
    taken: list[str] = []
    run = backends.PostgresBackend._run

    def spy(
        self: Any, sql: str, params: list[Any], via: str = "", *, deep: bool = False, walk: bool = False
    ) -> list[tuple[Any, ...]]:
        taken.append(via + ("/walk" if walk else ""))
        return run(self, sql, params, via, deep=deep, walk=walk)

    monkeypatch.setattr(backends.PostgresBackend, "_run", spy)
    yield taken
    pg_index.forget()


def test_rum_is_added_wherever_the_extension_exists(db):
    pg_index.forget()
    expected = "rum" if pg_index.rum_available(connection) else "gin"
    assert pg_index.kind() == expected
    if os.environ.get("CI"):
        # `make test` installs postgresql-NN-rum: under CI the fast path must be the one tested.
        assert expected == "rum"


def _check_recall(corpus: list[Any]) -> None:
    rng = random.Random(11)
    for length in (3, 4, 5):
        for q in samples(corpus, length, 12, rng):
            assert found(q) == truth(corpus, q), q
    for q in ("人居环境 公示", "特困人员 救助", "2025年 信息公开"):
        expected = truth(corpus, q.split()[0]) & truth(corpus, q.split()[1])
        assert found(q) == expected, q
    newest = selectors.search(q="人民政府", order="newest", page_size=1000)
    ranked = selectors.search(q="人民政府", order="relevance", page_size=1000)
    assert {h.entry.pk for h in ranked.hits} == {h.entry.pk for h in newest.hits} == truth(corpus, "人民政府")
    assert all(h.score is not None and h.score > 0 for h in ranked.hits)
    street = next(e for e in corpus if e.unit.kind == "street")
    flt = selectors.resolve_filters(unit=street.unit.code)
    in_street = {h.entry.pk for h in selectors.search(q="人民政府", filters=flt, page_size=1000).hits}
    assert in_street == {
        pk for pk in truth(corpus, "人民政府") if pk in {e.pk for e in corpus if e.unit_id == street.unit_id}
    }


def test_phrases_through_rum(corpus, routes, monkeypatch):
    if pg_index.kind() != "rum":
        pytest.fail("no RUM index on this database: install postgresql-NN-rum (make test does)")
    monkeypatch.setattr(backends, "PHRASE_RECHECK_LIMIT", 0)
    _check_recall(corpus)
    assert "rum" in routes and "gin" in routes  # phrases via RUM; the candidate counts and words via GIN


def test_phrases_confirmed_row_by_row_through_gin(corpus, routes):
    """Few candidates: a phrase goes through GIN even when RUM is there."""
    _check_recall(corpus)
    assert routes and set(routes) <= {"gin", "rum"}
    # With RUM there, only the one relevance ranking goes through it; every other query stays on GIN.
    assert routes.count("rum") == (1 if pg_index.kind() == "rum" else 0)


def test_gin_alone(corpus, routes):
    with connection.cursor() as cur:
        cur.execute(f"DROP INDEX IF EXISTS {pg_index.RUM}")  # rolled back with the test's transaction
    pg_index.forget()
    assert pg_index.kind() == "gin"
    _check_recall(corpus)
    assert "rum" not in routes


def test_rum_answers_a_phrase_count_from_the_index(corpus, monkeypatch):
    if pg_index.kind() != "rum":
        pytest.fail("no RUM index on this database")
    phrase = "'人居' <-> '居环' <-> '环境'"
    sql = "EXPLAIN SELECT COUNT(*) FROM (SELECT id FROM search_searchdocument WHERE {} LIMIT 10) s"
    backend = backends.PostgresBackend()
    rum = backend._via(backends.Cond(backend.match, [phrase]), "rum")
    plan = "\n".join(r[0] for r in backend._run(sql.format(rum.sql), rum.params, rum.via))
    assert f"Index Scan using {pg_index.RUM}" in plan and "Recheck" not in plan
    gin = backend._via(backends.Cond(backend.match, [phrase]), "gin")
    plan = "\n".join(r[0] for r in backend._run(sql.format(gin.sql), gin.params, gin.via))
    assert f"Bitmap Index Scan on {pg_index.GIN}" in plan and pg_index.RUM not in plan


def test_whole_reindex_rebuilds_rum_once_at_the_end(corpus, monkeypatch, routes):
    from django.core.management import call_command

    from gongkai.search.management.commands import reindex

    if pg_index.kind() != "rum":
        pytest.fail("no RUM index on this database")
    seen: list[str] = []
    real = backends.PostgresBackend.replace

    def replace(self: Any, docs: Any) -> int:
        seen.append(pg_index.kind())  # what searches meanwhile would use
        return real(self, docs)

    monkeypatch.setattr(backends.PostgresBackend, "replace", replace)
    monkeypatch.setattr(reindex, "BULK_ENTRIES", 1)
    call_command("reindex", "--batch", "10", verbosity=0)
    assert seen and set(seen) == {"gin"}  # RUM was off while rows were written…
    pg_index.forget()
    assert pg_index.kind() == "rum"  # …and is back afterwards
    monkeypatch.setattr(backends, "PHRASE_RECHECK_LIMIT", 0)
    _check_recall(corpus)
    assert "rum" in routes


def test_interrupted_bulk_load_still_restores_rum(db):
    if pg_index.kind() != "rum":
        pytest.fail("no RUM index on this database")
    with pytest.raises(KeyboardInterrupt), pg_index.bulk_load():
        assert pg_index.kind() == "gin"
        raise KeyboardInterrupt
    pg_index.forget()
    assert pg_index.kind() == "rum"


def test_searchindex_command_shows_and_switches(db):
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command("searchindex", *args, stdout=out)
        return out.getvalue()

    if pg_index.kind() != "rum":
        pytest.fail("no RUM index on this database")
    assert "GIN + RUM" in run() and "各为一个词条" in run()
    pg_index.mark_ngrams(on=False)
    assert "运行 gongkai reindex 启用新格式" in run()
    assert "只有 GIN" in run("--gin") and pg_index.kind() == "gin"
    assert "GIN + RUM" in run("--rum") and pg_index.kind() == "rum"
