"""The staff page for write-API tokens: a unit administrator issues a token (shown once), sees the list and
revokes it; the token works against the API until then. Nobody else can."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongkai.api.models import ApiToken
from gongkai.core.models import AuditEvent
from tests.api.test_write import new_draft
from tests.factories import PASSWORD

URL = "/staff/api-tokens/"


@pytest.fixture
def login(client):
    def run(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return run


def test_admin_issues_a_token_shown_once_and_revokes_it(login, people, tree):
    c = login(people["admin"])
    page = c.get(URL)
    assert page.status_code == 200 and "接口令牌" in page.content.decode()
    assert "还没有签发过" in page.content.decode()
    # Only staff of this township are offered (not the street's).
    assert people["drafter"].username in page.content.decode()
    assert people["street_drafter"].username not in page.content.decode()

    issued = c.post(URL, {"unit": tree.town.pk, "user": people["drafter"].pk, "name": "县政务平台同步"})
    html = issued.content.decode()
    assert issued.status_code == 200 and "只显示这一次" in html
    assert issued["Cache-Control"] == "no-store"
    raw = re.search(r'value="(gk_[^"]+)"', html).group(1)
    token = ApiToken.objects.get(name="县政务平台同步")
    assert token.user == people["drafter"] and token.unit == tree.town and raw.startswith(token.prefix)
    assert AuditEvent.objects.filter(action="api.token_issue", actor=people["admin"]).exists()

    # The token acts as the drafter through the write API…
    created = new_draft(c, raw, tree)
    assert created.status_code == 201, created.content
    # …the list shows its prefix and use, never the token again.
    listing = c.get(URL).content.decode()
    assert token.prefix in listing and raw not in listing and "从未使用" not in listing

    revoked = c.post(reverse("staff:api_token_revoke", args=[token.pk]), follow=True)
    assert "已吊销令牌" in revoked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token_revoke", actor=people["admin"]).exists()
    assert new_draft(c, raw, tree).status_code == 401
    again = c.post(reverse("staff:api_token_revoke", args=[token.pk]), follow=True)
    assert "已经吊销过了" in again.content.decode()


def test_bad_input_names_the_field_and_keeps_what_was_typed(login, people, tree):
    c = login(people["admin"])
    empty = c.post(URL, {"unit": tree.town.pk, "user": people["drafter"].pk, "name": "  "})
    html = empty.content.decode()
    assert empty.status_code == 400 and "请填写令牌用途" in html
    assert f'<option value="{people["drafter"].pk}" selected>' in html  # the chosen person stays chosen
    stranger = c.post(URL, {"unit": tree.town.pk, "user": people["street_drafter"].pk, "name": "同步"})
    assert stranger.status_code == 400 and "请从列表中选择本单位的工作人员" in stranger.content.decode()
    assert 'value="同步"' in stranger.content.decode()
    long = c.post(URL, {"unit": tree.town.pk, "user": people["drafter"].pk, "name": "长" * 101})
    assert long.status_code == 400 and "用途最多 100 个字" in long.content.decode()
    assert not ApiToken.objects.exists()


def test_only_unit_administrators_and_only_their_own_unit(login, people, tree, client):
    for who in ("drafter", "reviewer", "signer", "sysadmin", "supervisor"):
        c = login(people[who])
        page = c.get(URL)
        assert page.status_code == 403 and "只有公开办管理员" in page.content.decode(), who
        assert "接口令牌</a>" not in c.get(reverse("staff:dashboard")).content.decode(), who
    c = login(people["admin"])
    assert "接口令牌</a>" in c.get(reverse("staff:dashboard")).content.decode()
    c.post(URL, {"unit": tree.town.pk, "user": people["drafter"].pk, "name": "镇里的令牌"})
    town_token = ApiToken.objects.get()
    # The street's administrator neither sees nor revokes the township's token, even by asking for its unit.
    c = login(people["street_admin"])
    page = c.get(URL, {"unit": tree.town.pk}).content.decode()
    assert "镇里的令牌" not in page
    assert c.post(reverse("staff:api_token_revoke", args=[town_token.pk])).status_code == 404
    town_token.refresh_from_db()
    assert town_token.revoked_at is None
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page
