"""A search-query subscription: the digest lists what the search finds for the query within the unit, and
nothing of other units or without the words."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from gongkai.catalog import services
from gongkai.subscriptions import digest
from tests.factories import category

from .conftest import subscribe_and_confirm

pytestmark = pytest.mark.django_db


def test_query_digest(
    client: Client, tree: Any, people: dict[str, Any], draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sub = subscribe_and_confirm(
        client, django_capture_on_commit_callbacks, "q@example.com", target="query", query="防火"
    )
    assert sub.query == "防火" and sub.category is None
    with django_capture_on_commit_callbacks(execute=True):
        hit = publish(draft(title="关于做好春季森林防火工作的通知"))
        publish(draft(title="关于开展垃圾分类宣传的通知"))
        street = draft(
            title="城关街道森林防火通告",
            unit=tree.street,
            category=category(tree.street),
            publisher=tree.street,
            actor=people["street_drafter"],
        )
        street = services.submit_for_review(actor=people["street_drafter"], entry=street)
        street = services.review_pass(actor=people["street_admin"], entry=street)
        services.sign_and_publish(actor=people["street_signer"], entry=street)
    assert digest.send_digests().mails == 1
    (message,) = mail.outbox
    assert hit.title in message.body
    assert "垃圾分类" not in message.body and "城关街道森林防火通告" not in message.body
