"""The public search page: results with highlighted snippets, filters, exact-number jumps, help, bad input."""

from __future__ import annotations

from gongkai.catalog import services
from tests.factories import category


def get(client, **params):
    return client.get("/search/", params)


def test_results_count_snippets_and_links(client, draft, publish, committed, tree):
    a = committed(publish, draft(title="农村低保对象名单公示", body="<p>经评议，以下家庭纳入农村低保。</p>"))
    committed(publish, draft(title="防汛工作通知"))
    response = get(client, q="低保")
    html = response.content.decode()
    assert response.status_code == 200
    assert "共找到 1 条信息" in html
    assert f"/{tree.town.slug}/info/{a.pk}/" in html
    assert "<mark>低保</mark>" in html
    assert "portal/css/site.css" in html and "search/css/search.css" in html  # the site's look
    assert response["Cache-Control"] == "no-store"


def test_snippet_escapes_markup(client, draft, publish, committed):
    committed(publish, draft(title="转义测试", summary="<script>alert(1)</script> 补贴发放"))
    html = get(client, q="补贴").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_filters_unit_year_validity_category(client, draft, publish, committed, tree, people):
    town = committed(publish, draft(title="垃圾分类工作方案", category=category(tree.town, "notices")))
    html = get(client, q="垃圾分类", org=tree.street.code).content.decode()
    assert "没有找到相关信息" in html
    html = get(client, q="垃圾分类", org=tree.town.code, category=town.category_id).content.decode()
    assert "共找到 1 条信息" in html
    assert "共找到 1 条信息" in get(client, q="垃圾分类", year=town.published_at.year).content.decode()
    assert "没有找到" in get(client, q="垃圾分类", validity="repealed").content.decode()


def test_exact_index_or_document_number_jumps_to_entry(client, draft, publish, committed, tree):
    e = committed(publish, draft(title="某通知", document_number="东政发[2025]7号"))
    url = f"/{tree.town.slug}/info/{e.pk}/"
    assert get(client, q=e.index_number)["Location"] == url
    assert get(client, q="东政发〔2025〕7号")["Location"] == url
    assert get(client, q="东政发[2025]7号")["Location"] == url


def test_withdrawn_entry_is_gone_from_the_page(client, draft, publish, committed, people):
    e = committed(publish, draft(title="危房改造补助名单"))
    assert "共找到 1 条" in get(client, q="危房改造").content.decode()
    committed(services.withdraw, actor=people["admin"], entry=e, reason="名单有误")
    html = get(client, q="危房改造").content.decode()
    assert "危房改造补助名单" not in html and "没有找到相关信息" in html


def test_empty_query_shows_the_form(client, db):
    response = get(client)
    assert response.status_code == 200 and "可检索各单位主动公开的政府信息" in response.content.decode()


def test_bad_input_is_a_chinese_400_naming_the_field(client, db):
    cases = [
        ({"q": "低" * 2000}, "检索词过长"),
        ({"q": "低保", "page": "1000000000"}, "页码"),
        ({"q": "低保", "year": "20x5"}, "年份"),
        ({"q": "低保", "org": "NOPE"}, "单位代码"),
        ({"q": "低保", "validity": "maybe"}, "有效性"),
        ({"q": "低保", "order": "random"}, "排序"),
        ({"q": "低保", "category": "99999999"}, "目录类别"),
    ]
    for params, words in cases:
        response = get(client, **params)
        assert response.status_code == 400, params
        assert words in response.content.decode(), params


def test_syntax_characters_and_emoji_are_harmless(client, draft, publish, committed):
    committed(publish, draft(title="信息公开指南"))
    odd = [
        '"',
        "*",
        "NEAR",
        "OR",
        "'",
        "\\",
        "😀",
        "信息 OR 公开",
        '信息" NEAR "公开',
        "（信息）",
        "ＮＥＡＲ*",
        "-信息",
    ]
    for q in odd:
        assert get(client, q=q).status_code == 200, q
    assert "标点和表情符号不参与检索" in get(client, q="😀！").content.decode()


def test_rate_limit_gives_a_chinese_429(client, settings, db):
    settings.GONGKAI_RATE_LIMITS = {"search": (2, 60)}
    assert [get(client, q="低保").status_code for _ in range(3)] == [200, 200, 429]
    last = get(client, q="低保")
    assert "过于频繁" in last.content.decode() and int(last["Retry-After"]) > 0
