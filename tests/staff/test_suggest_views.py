"""The 建议 chips on the entry form and the read-only JSON endpoint ``/staff/entries/suggest``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalog import suggest
from gongkai.catalog.models import Entry, SuggestionModel
from tests.catalog.suggest_history import publish_history
from tests.factories import PASSWORD, category

TITLE = "2025年第一季度城乡低保对象名单公示"


@pytest.fixture
def login(client):
    def run(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


@pytest.fixture
def trained(tree, people):
    publish_history(tree, people)
    return suggest.retrain(unit=tree.town)


def test_endpoint_returns_the_units_suggestions(login, people, tree, trained):
    c = login(people["drafter"])
    before = SuggestionModel.objects.get(unit=tree.town).trained_at
    response = c.get(reverse("staff:entry_suggest"), {"unit": tree.town.pk, "title": TITLE, "summary": ""})
    assert response.status_code == 200
    data = response.json()
    assert data["categories"][0]["value"] == str(category(tree.town, "dibao").pk)
    assert data["genres"][0]["value"] == "公示" and "低保" in data["topic_words"]
    assert SuggestionModel.objects.get(unit=tree.town).trained_at == before  # a GET never writes
    assert c.post(reverse("staff:entry_suggest"), {"unit": tree.town.pk}).status_code == 405


def test_endpoint_refuses_users_without_drafting_rights(login, people, tree, trained):
    response = login(people["reviewer"]).get(reverse("staff:entry_suggest"), {"unit": tree.town.pk, "title": TITLE})
    assert response.status_code == 403 and response.json()["error"]["message"] == "您没有起草信息的权限"


def test_endpoint_other_unit_and_unknown_unit_look_the_same(login, people, tree, trained):
    c = login(people["street_drafter"])
    other = c.get(reverse("staff:entry_suggest"), {"unit": tree.town.pk, "title": TITLE})
    unknown = c.get(reverse("staff:entry_suggest"), {"unit": 999999, "title": TITLE})
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
    assert "无权" in other.json()["error"]["message"]


def test_endpoint_bad_input_gets_a_chinese_error(login, people, tree):
    c = login(people["drafter"])
    long = c.get(reverse("staff:entry_suggest"), {"unit": tree.town.pk, "title": "标" * 201})
    assert long.status_code == 400 and long.json()["error"] == {
        "code": "invalid",
        "message": "标题不能超过 200 个字",
        "field": "title",
    }
    missing = c.get(reverse("staff:entry_suggest"), {"unit": "abc", "title": TITLE})
    assert missing.status_code == 400 and missing.json()["error"]["message"] == "请指定公开主体（unit）"


def test_endpoint_empty_unit(login, people, tree):
    response = login(people["street_drafter"]).get(
        reverse("staff:entry_suggest"), {"unit": tree.street.pk, "title": TITLE}
    )
    assert response.status_code == 200
    assert response.json()["categories"] == [] and response.json()["trained_on"] == 0


def _form(tree, **extra):
    data = {
        "unit": tree.town.pk,
        "category": "",
        "publisher": tree.office.pk,
        "title": TITLE,
        "genre": "通知",
        "formed_date": "2025-03-31",
        "disclosure_mode": "proactive",
        "summary": "",
        "body": "经村民代表大会评议，现将低保对象名单公示如下。公示期七天。",
        "topic_words": "",
    }
    data.update(extra)
    return data


def test_form_shows_chips_and_applies_nothing_without_a_click(login, people, tree, trained):
    c = login(people["drafter"])
    dibao, tekun = category(tree.town, "dibao"), category(tree.town, "tekun")
    page = c.post(reverse("staff:entry_create"), _form(tree, suggest="1"))
    html = page.content.decode()
    assert page.status_code == 200 and not Entry.objects.filter(title=TITLE).exists()  # suggesting never saves
    assert f'name="apply" value="category:{dibao.pk}"' in html and 'value="genre:公示"' in html
    assert 'value="summary:经村民代表大会评议，现将低保对象名单公示如下。"' in html
    assert f'<option value="{dibao.pk}" selected>' not in html  # shown, not chosen
    assert '<option value="通知" selected>' in html  # the genre the officer typed stays

    # One click fills that one field (still nothing saved).
    page = c.post(reverse("staff:entry_create"), _form(tree, apply=f"category:{dibao.pk}"))
    html = page.content.decode()
    assert f'<option value="{dibao.pk}" selected>' in html and '<option value="通知" selected>' in html
    page = c.post(reverse("staff:entry_create"), _form(tree, topic_words="社会救助", apply="topic_words:低保"))
    assert 'value="社会救助 低保"' in page.content.decode()
    assert not Entry.objects.filter(title=TITLE).exists()

    # The officer files it elsewhere: the saved entry has the category chosen, not the suggestion.
    response = c.post(reverse("staff:entry_create"), _form(tree, category=tekun.pk))
    entry = Entry.objects.get(title=TITLE)
    assert response.status_code == 302 and entry.category == tekun and entry.genre == "通知"
    assert entry.summary == "" and entry.topic_words == ""


def test_form_without_history_says_so(login, people, tree):
    page = login(people["drafter"]).post(reverse("staff:entry_create"), _form(tree, suggest="1"))
    assert "暂无目录类别" in page.content.decode()


def test_edit_form_offers_chips_too(login, people, tree, trained, draft):
    entry = draft(title=TITLE)
    c = login(people["drafter"])
    url = reverse("staff:entry_edit", args=[entry.pk])
    page = c.post(url, _form(tree, suggest="1", category=entry.category_id))
    assert page.status_code == 200 and 'name="apply" value="category:' in page.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1 and entry.category == category(tree.town)
