"""Unsubscribing needs no login and no CSRF token: the mail client's RFC 8058 one-click POST to the
``List-Unsubscribe`` URL works; the header's link ends every subscription of the address. The subscription
form itself is CSRF-protected."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from gongkai.subscriptions import digest
from gongkai.subscriptions.models import Status, Subscription
from tests.factories import category

from .conftest import subscribe_and_confirm

pytestmark = pytest.mark.django_db


def test_one_click_from_the_header_ends_all(
    client: Client, tree: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "a@example.com", target="unit")
    notices = category(tree.town)
    subscribe_and_confirm(
        client, django_capture_on_commit_callbacks, "a@example.com", target="category", category=str(notices.pk)
    )
    publish(draft(category=notices))
    assert digest.send_digests().mails == 1
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<http://testserver(/subscribe/unsubscribe/[^/]+/)>", message.extra_headers["List-Unsubscribe"])
    assert url is not None
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url.group(1), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "已退订" in response.content.decode()
    assert set(Subscription.objects.values_list("status", flat=True)) == {Status.UNSUBSCRIBED}


def test_subscription_form_needs_csrf(tree: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/subscribe/dongshan/", {"email": "a@example.com", "target": "unit"})
    assert response.status_code == 403 and not Subscription.objects.exists()
    page = strict.get("/subscribe/dongshan/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = strict.post(
        "/subscribe/dongshan/",
        {"email": "a@example.com", "target": "unit", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302 and Subscription.objects.count() == 1
