"""The write API: a per-unit token acts as its user inside its unit, through the same services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from gongkai.api.models import ApiToken
from gongkai.api.tokens import issue_token, revoke_token
from gongkai.catalog.models import Entry
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.core.models import AuditEvent
from tests.factories import category


@pytest.fixture
def token(people, tree):
    _, raw = issue_token(actor=people["admin"], user=people["drafter"], unit=tree.town, name="业务系统同步")
    return raw


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def new_draft(api, raw, tree, **extra):
    payload = {
        "category": category(tree.town).pk,
        "title": "接口提交的通知",
        "formed_date": "2025-03-03",
        "publisher": tree.office.code,
        "summary": "通过接口提交。",
        "body": "<p>正文<script>x</script></p>",
        **extra,
    }
    return api.post("/api/v1/drafts", payload, content_type="application/json", **auth(raw))


def test_create_upload_submit(api, token, tree):
    created = new_draft(api, token, tree)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["publisher"] == tree.office.code
    entry = Entry.objects.get(pk=draft["id"])
    assert "<script>" not in entry.body  # the service's sanitising applies
    up = api.post(
        f"/api/v1/drafts/{draft['id']}/attachments",
        {"file": SimpleUploadedFile("名单.csv", "村名,金额\n李家村,100\n".encode(), "text/csv")},
        **auth(token),
    )
    assert up.status_code == 201, up.content
    assert up.json()["attachments"][0]["kind"] == "csv"
    sub = api.post(f"/api/v1/drafts/{draft['id']}/submit", {}, content_type="application/json", **auth(token))
    assert sub.status_code == 200 and sub.json()["status"] == "review"
    assert AuditEvent.objects.filter(action="entry.submit", actor=entry.created_by).exists()


def test_validation_errors_name_the_field(api, token, tree):
    bad = new_draft(api, token, tree, title="")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "title"
    bad = new_draft(api, token, tree, category=category(tree.street).pk)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "category"
    bad = new_draft(api, token, tree, formed_date="2025-13-40")
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "formed_date"


def test_scope_follows_the_users_role(api, token, tree, draft, people):
    # The drafter of 民政办 may not draft in the name of 财政所, nor see its drafts.
    denied = new_draft(api, token, tree, publisher=tree.other_office.code)
    assert denied.status_code == 403 and "起草" in denied.json()["error"]["message"]
    other = draft(actor=people["other_drafter"], publisher=tree.other_office)
    assert api.get(f"/api/v1/drafts/{other.pk}", **auth(token)).status_code == 404
    # A street entry is outside the token's unit altogether.
    street = draft(
        unit=tree.street, actor=people["street_drafter"], publisher=tree.street, category=category(tree.street)
    )
    assert api.get(f"/api/v1/drafts/{street.pk}", **auth(token)).status_code == 404


def test_missing_wrong_or_revoked_token_is_401(api, token, tree):
    assert new_draft(api, "", tree).status_code == 401
    assert new_draft(api, "gk_not-a-token", tree).status_code == 401
    revoke_token(actor=None, token=ApiToken.objects.get())
    response = new_draft(api, token, tree)
    assert response.status_code == 401 and "令牌" in response.json()["error"]["message"]


def test_issuing_rules(people, tree):
    with pytest.raises(NotAllowed):
        issue_token(actor=people["drafter"], user=people["drafter"], unit=tree.town, name="x")
    with pytest.raises(ValidationFailed):
        issue_token(actor=None, user=people["street_drafter"], unit=tree.town, name="x")


def test_command(people, tree, capsys):
    call_command("apitoken", "create", "--user", people["drafter"].username, "--unit", tree.town.code, "--name", "同步")
    assert "gk_" in capsys.readouterr().out
    prefix = ApiToken.objects.get().prefix
    call_command("apitoken", "revoke", prefix)
    assert ApiToken.objects.get().revoked_at is not None


def test_an_unparsable_body_is_a_chinese_400(api, token):
    """Issue 17 #4: django-ninja's "Cannot parse request body" never reaches a caller."""
    response = api.post("/api/v1/drafts", b"\xff\xfe not json", content_type="application/json", **auth(token))
    body = response.json()
    assert response.status_code == 400 and body["error"]["code"] in ("invalid_json", "invalid")
    assert "Cannot" not in response.content.decode() and "JSON" in body["error"]["message"]
