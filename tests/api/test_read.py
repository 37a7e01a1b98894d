"""Every documented read endpoint answers as documented, with the shared error body for bad input."""

from __future__ import annotations

from gongkai.search.tokenizer import MAX_QUERY_CHARS


def test_orgs(api, sample, tree):
    body = api.get("/api/v1/orgs").json()
    codes = {o["code"]: o for o in body["results"]}
    assert body["count"] == len(codes) and body["page"] == 1 and body["pages"] == 1
    assert codes[tree.town.code]["is_unit"] and codes[tree.town.code]["parent"] == tree.county.code
    assert not codes[tree.office.code]["is_unit"]


def test_categories_need_a_known_unit(api, sample, tree):
    cats = api.get("/api/v1/categories", {"org": tree.town.code}).json()
    assert any(c["slug"] == "normative" for c in cats)
    child = next(c for c in cats if c["parent"])
    assert "/" in child["full_name"]
    missing = api.get("/api/v1/categories")
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "org"
    unknown = api.get("/api/v1/categories", {"org": "NOPE"})
    assert unknown.status_code == 400 and "单位代码" in unknown.json()["error"]["message"]


def test_entries_list_filters_and_order(api, sample, tree):
    body = api.get("/api/v1/entries").json()
    assert body["count"] == 2  # the withdrawn entry is not listed
    stamps = [e["published_at"] for e in body["results"]]
    assert stamps == sorted(stamps, reverse=True)
    policy = sample["policy"]
    only = api.get("/api/v1/entries", {"org": tree.town.code, "category": policy.category_id, "genre": "办法"}).json()
    assert [e["index_number"] for e in only["results"]] == [policy.index_number]
    year = policy.published_at.year
    assert api.get("/api/v1/entries", {"year": year}).json()["count"] == 2
    assert api.get("/api/v1/entries", {"year": year - 5}).json()["count"] == 0
    assert api.get("/api/v1/entries", {"validity": "repealed"}).json()["count"] == 0
    assert api.get("/api/v1/entries", {"q": "低保"}).json()["count"] == 1
    far = api.get("/api/v1/entries", {"page": 99999}).json()
    assert far["results"] == [] and far["count"] == 2


def test_entry_detail_by_index_number_with_slash(api, sample):
    policy = sample["policy"]
    assert "/" in policy.index_number
    response = api.get(f"/api/v1/entries/{policy.index_number}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == policy.title and data["document_number"] == "东政发〔2025〕3号"
    assert data["attachments"][0]["name"] == "低保标准.csv" and data["attachments"][0]["url"].startswith("http")
    assert data["api_url"].endswith(f"/api/v1/entries/{policy.index_number}")
    encoded = api.get("/api/v1/entries/" + policy.index_number.replace("/", "%2F"))
    assert encoded.status_code == 200 and encoded.json()["index_number"] == policy.index_number


def test_entry_detail_errors(api, sample):
    missing = api.get("/api/v1/entries/QH0101/1999-99999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found" and missing.json()["error"]["field"] == "index_number"
    gone = api.get(f"/api/v1/entries/{sample['withdrawn'].index_number}")
    assert gone.status_code == 410 and "撤回" in gone.json()["error"]["message"]


def test_search(api, sample):
    body = api.get("/api/v1/search", {"q": "生活保障"}).json()
    assert body["count"] == 1 and body["query"] == "生活保障"
    hit = body["results"][0]
    assert hit["index_number"] == sample["policy"].index_number and "<mark>生活保障</mark>" in hit["snippet"]
    assert api.get("/api/v1/search", {"q": "低保"}).json()["count"] == 1
    assert api.get("/api/v1/search", {"q": "李家村 780"}).json()["count"] == 1  # attachment text
    assert api.get("/api/v1/search", {"q": "名单"}).json()["count"] == 0  # withdrawn


def test_search_bad_input(api, sample):
    cases = [
        ({"q": ""}, "q"),
        ({"q": "低" * (MAX_QUERY_CHARS + 1)}, "q"),
        ({"q": "低保", "page": 0}, "page"),
        ({"q": "低保", "page": 10**9}, "page"),
        ({"q": "低保", "page": "abc"}, "page"),
        ({"q": "低保", "order": "x"}, "order"),
        ({"q": "低保", "genre": "小说"}, "genre"),
        ({"q": "低保", "year": "20x5"}, "year"),
    ]
    for params, field in cases:
        response = api.get("/api/v1/search", params)
        assert response.status_code == 400, params
        err = response.json()["error"]
        assert err["field"] == field, params
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"]), err
    for q in ['"', "*", "NEAR", "OR", "'", "\\", "😀", "ＡＮＤ", "a OR b"]:
        assert api.get("/api/v1/search", {"q": q}).status_code == 200, q


def test_docs_page_and_schema(api, db):
    schema = api.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "政府信息公开开放数据接口"
    for path in [
        "/api/v1/orgs",
        "/api/v1/categories",
        "/api/v1/entries",
        "/api/v1/entries/{index_number}",
        "/api/v1/search",
        "/api/v1/applications",
        "/api/v1/applications/{tracking}",
    ]:
        assert path in schema["paths"], path
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_entries_list_cursor_walks_everything_past_the_count_limit(api, sample, tree, draft, publish, settings):
    from gongkai.catalog.models import Entry

    more = [publish(draft(title=f"第{n}批补贴名单公示")) for n in range(5)]
    # Three entries in the same microsecond: the entry id breaks the tie, so none is skipped or repeated.
    same = more[0].published_at
    Entry.objects.filter(pk__in=[e.pk for e in more[1:4]]).update(published_at=same)
    expected = list(
        Entry.objects.filter(status="published").order_by("-published_at", "-id").values_list("index_number", flat=True)
    )
    assert len(expected) == 7
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 4
    first = api.get("/api/v1/entries").json()
    assert first["count"] == 4 and first["count_capped"] is True and first["pages"] == 1
    assert len(first["results"]) == 4  # the page ends where the count does; the cursor goes on
    past = api.get("/api/v1/entries", {"page": 2})
    assert past.status_code == 400 and past.json()["error"]["field"] == "page"
    assert "next_cursor" in past.json()["error"]["message"] and "共 1 页" in past.json()["error"]["message"]
    walked = [e["index_number"] for e in first["results"]]
    cursor = first["next_cursor"]
    while cursor:
        body = api.get("/api/v1/entries", {"cursor": cursor}).json()
        walked += [e["index_number"] for e in body["results"]]
        cursor = body["next_cursor"]
    assert walked == expected
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 10_000
    second = api.get("/api/v1/entries", {"cursor": _cursor_after(expected[0])}).json()
    assert [e["index_number"] for e in second["results"]] == expected[1:] and second["next_cursor"] is None


def _cursor_after(index_number):
    from gongkai.api.public import _cursor
    from gongkai.catalog.models import Entry

    return _cursor(Entry.objects.get(index_number=index_number))


def test_entries_list_cursor_bad_input(api, sample):
    for bad in ["x", "12-", "-5", "1" * 17 + "-1", "１２-３", "1-2-3"]:
        response = api.get("/api/v1/entries", {"cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"]["field"] == "cursor" and "游标" in response.json()["error"]["message"]
    with_q = api.get("/api/v1/entries", {"cursor": "1-1", "q": "低保"})
    assert with_q.status_code == 400 and with_q.json()["error"]["field"] == "cursor"
    far = api.get("/api/v1/entries", {"cursor": "1-1"}).json()  # before the first entry ever: nothing after it
    assert far["results"] == [] and far["next_cursor"] is None
