"""Subscribe to a village (issue 24: "a unit, a category, a village or a search query"): the digest lists what that
village publishes (村务公开) and nothing of the other offices; a village of another unit is refused on its field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from gongkai.catalog import services
from gongkai.orgs.models import OrgKind
from gongkai.orgs.services import create_org
from gongkai.subscriptions import digest
from tests.factories import category

from .conftest import subscribe_and_confirm

pytestmark = pytest.mark.django_db


def published(people: Any, draft: Any, **fields: Any) -> Any:
    entry = draft(actor=people["admin"], **fields)
    entry = services.submit_for_review(actor=people["admin"], entry=entry)
    entry = services.review_pass(actor=people["reviewer"], entry=entry)
    return services.sign_and_publish(actor=people["signer"], entry=entry)


def test_village_digest(
    client: Client, tree: Any, people: Any, draft: Any, django_capture_on_commit_callbacks: Any
) -> None:
    form = client.get("/subscribe/dongshan/").content.decode()
    assert f'<option value="{tree.village.pk}">{tree.village.name}</option>' in form
    sub = subscribe_and_confirm(
        client, django_capture_on_commit_callbacks, "cunmin@example.cn", target="village", village=str(tree.village.pk)
    )
    assert sub.village == tree.village and tree.village.name in sub.target_label
    ours = published(
        people, draft, title="李家村2025年第三季度村务公开", publisher=tree.village, category=category(tree.town)
    )
    other = published(people, draft, title="东山镇民政办低保公示", publisher=tree.office, category=category(tree.town))
    assert digest.send_digests().mails == 1
    (message,) = mail.outbox
    assert ours.title in message.body and other.title not in message.body


def test_a_village_of_another_unit_or_none_is_refused(client: Client, tree: Any) -> None:
    elsewhere = create_org(
        actor=None, code="QH020101", name="西城街道某社区", kind=OrgKind.VILLAGE, parent=tree.street, slug="xicheng-x"
    )
    for value, status in ((str(elsewhere.pk), 400), ("", 400), ("abc", 400)):
        response = client.post("/subscribe/dongshan/", {"email": "a@example.cn", "target": "village", "village": value})
        html = response.content.decode()
        assert response.status_code == status and "村（社区）" in html and 'value="a@example.cn"' in html
    # A unit without villages of its own (the county office: the villages belong to the townships) has no such choice.
    assert 'value="village"' not in client.get(f"/subscribe/{tree.county.slug}/").content.decode()
