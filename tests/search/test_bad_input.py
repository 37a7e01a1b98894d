"""Random strings into search (selectors, page, API): a result or a clear Chinese 400, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.errors import ValidationFailed
from gongkai.search import selectors

NASTY = st.sampled_from(
    ['"', "*", "NEAR", "OR", "AND", "NOT", "'", "\\", "(", ")", "^", ":", "-", "😀", "！", "　", "%", "_"]
)
QUERIES = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(NASTY, st.sampled_from(["低保", "信息公开", "a", "2025", "扶贫"])), max_size=12).map(" ".join),
    st.lists(st.one_of(NASTY, st.sampled_from(["低保", "信", "b"])), max_size=12).map("".join),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def indexed(draft: Any, publish: Any, committed: Any) -> None:
    committed(publish, draft(title="信息公开指南", summary="低保 扶贫 2025 a b"))


@FUZZ
@given(q=QUERIES, order=st.sampled_from(["newest", "relevance"]))
def test_selector_never_crashes(indexed: None, q: str, order: str) -> None:
    try:
        page = selectors.search(q=q, order=order)
    except ValidationFailed as exc:
        assert exc.field == "q" and exc.message
        return
    assert page.total >= len(page.hits)


@FUZZ
@given(q=QUERIES, page=st.one_of(st.text(max_size=12), st.integers(-5, 10**12).map(str)), year=st.text(max_size=6))
def test_page_never_500(indexed: None, client: Any, q: str, page: str, year: str) -> None:
    response = client.get("/search/", {"q": q, "page": page, "year": year})
    assert response.status_code in (200, 302, 400), (q, page, year)


@FUZZ
@given(q=QUERIES, org=st.text(max_size=10), genre=st.text(max_size=4), page=st.text(max_size=12))
def test_api_never_500(indexed: None, client: Any, q: str, org: str, genre: str, page: str) -> None:
    for url in ("/api/v1/search", "/api/v1/entries"):
        response = client.get(url, {"q": q, "org": org, "genre": genre, "page": page})
        assert response.status_code in (200, 400), (url, q, org, genre, page)
        if response.status_code == 400:
            err = response.json()["error"]
            assert err["code"] and err["message"]
