"""What keeps search fast at scale must not cost correctness: rows keyed by publication time, filters inside
the index, multi-part entries answered at the entry level, the capped count, the rebuild after a migration.
The same file runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from gongkai.catalog import services
from gongkai.search import selectors
from gongkai.search.apps import rebuild_if_empty
from gongkai.search.backends import doc_key, entry_key, get_backend
from gongkai.search.models import SearchDocument
from tests.search.test_recall import truth


def test_keys_order_by_publication_second_then_entry_then_part():
    t = datetime(2025, 3, 1, 8, 0, 0, tzinfo=UTC)
    assert doc_key(t, 5, 0) < doc_key(t, 6, 0) < doc_key(t + timedelta(seconds=1), 1, 0)
    assert doc_key(t, 5, 0) < doc_key(t, 5, 1) < doc_key(t, 6, 0)
    assert entry_key(doc_key(t, 5, 3)) == entry_key(doc_key(t, 5, 0)) == doc_key(t, 5, 0) >> 8
    assert doc_key(datetime(1970, 1, 1, tzinfo=UTC), 1, 0) == 1 << 8  # before 1990: clamped, still valid
    assert 0 < doc_key(datetime(2060, 1, 1, tzinfo=UTC), 2**24 - 1, 255) < 2**63


def _long_entry(draft, people, committed, publish, title: str, tail: str):
    filler = "各村要做好防汛准备工作" * 3000  # ~33,000 characters: several index parts
    entry = draft(title=title)
    services.add_attachment(
        actor=people["drafter"],
        entry=entry,
        name="长文.csv",
        stream=io.BytesIO(f"说明\n{filler}{tail}\n".encode()),
    )
    return committed(publish, entry)


def test_terms_in_the_title_and_a_late_part_meet_at_the_entry(draft, publish, people, committed):
    long = _long_entry(draft, people, committed, publish, "甲乙丙丁长附件", "末尾的量子纠缠")
    assert SearchDocument.objects.filter(entry=long).count() > 2
    short = committed(publish, draft(title="甲乙丙丁短文：量子纠缠"))
    for order in ("newest", "relevance"):
        page = selectors.search(q="甲乙丙丁 量子纠缠", order=order)
        assert page.total == 2 and not page.capped
        assert {h.entry.pk for h in page.hits} == {long.pk, short.pk}
    newest = selectors.search(q="甲乙丙丁 量子纠缠", order="newest")
    assert [h.entry.pk for h in newest.hits] == [short.pk, long.pk]  # published later, listed first
    # A word in every part is one hit, not one per part.
    assert selectors.search(q="防汛准备").total == 1
    # Filters apply to multi-part entries too.
    year = long.published_at.year
    flt = selectors.resolve_filters(unit=long.unit.code, year=year)
    assert {h.entry.pk for h in selectors.search(q="量子纠缠 甲乙丙丁", filters=flt).hits} == {long.pk, short.pk}
    gone = selectors.resolve_filters(year=year - 1)
    assert selectors.search(q="量子纠缠 甲乙丙丁", filters=gone).total == 0
    # A term found only in an entry's text and another only in a filter value does not match.
    assert selectors.search(q="量子纠缠 不存在的词").total == 0


def test_count_is_exact_up_to_the_limit_then_the_newest_are_paged(corpus, settings):
    expected = truth(corpus, "通知")
    assert len(expected) > 8
    exact = selectors.search(q="通知", page_size=100)
    assert exact.total == len(expected) and not exact.capped
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 5
    page = selectors.search(q="通知", page_size=3)
    assert page.capped and page.total == 5 and page.pages == 2
    newest = sorted((e for e in corpus if e.pk in expected), key=lambda e: (e.published_at, e.pk), reverse=True)
    seen = [h.entry.pk for p in (1, 2) for h in selectors.search(q="通知", page=p, page_size=3).hits]
    assert seen == [e.pk for e in newest[:5]]
    ranked = selectors.search(q="通知", order="relevance", page_size=100)
    assert ranked.capped and {h.entry.pk for h in ranked.hits} == {e.pk for e in newest[:5]}
    # Exactly at the limit is still exact.
    settings.GONGKAI_SEARCH_COUNT_LIMIT = len(expected)
    at = selectors.search(q="通知")
    assert at.total == len(expected) and not at.capped


def test_capped_count_is_said_on_the_page_and_in_the_api(corpus, settings, client):
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 5
    html = client.get("/search/", {"q": "通知"}).content.decode()
    assert "找到超过 5 条信息" in html
    body = client.get("/api/v1/search", {"q": "通知"}).json()
    assert body["count"] == 5 and body["count_capped"] is True
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 10_000
    body = client.get("/api/v1/search", {"q": "通知"}).json()
    assert body["count"] == len(truth(corpus, "通知")) and body["count_capped"] is False


def test_migrate_refills_an_index_emptied_by_a_migration(draft, publish, people, committed):
    entry = committed(publish, draft(title="高标准农田建设项目公示"))
    get_backend().clear()
    assert selectors.search(q="农田").total == 0
    rebuild_if_empty(sender=None, verbosity=0)
    assert [h.entry.pk for h in selectors.search(q="农田").hits] == [entry.pk]
    # A non-empty index is left alone (no rebuild on every migrate).
    SearchDocument.objects.filter(entry=entry).update(validity="expired")
    rebuild_if_empty(sender=None, verbosity=0)
    assert SearchDocument.objects.get(entry=entry).validity == "expired"


def test_searchindex_command_says_what_answers(db):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    out = StringIO()
    call_command("searchindex", stdout=out)
    # SQLite has one engine and nothing to switch; PostgreSQL names its indexes (switching: test_pg_index.py).
    assert ("FTS5" if connection.vendor == "sqlite" else "GIN") in out.getvalue()
