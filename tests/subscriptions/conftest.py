"""Helpers for the subscription tests: the links out of the mails, a subscription made and confirmed through
the public pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from gongkai.subscriptions.models import Subscription


@pytest.fixture(autouse=True)
def _public_url(settings: Any) -> None:
    settings.GONGKAI_PUBLIC_URL = "http://testserver"


LINK = re.compile(r"http://testserver(/subscribe/(?:confirm|unsubscribe)/[^/\s]+/)")


def links(message: Any, kind: str) -> list[str]:
    return [p for p in LINK.findall(message.body) if f"/{kind}/" in p]


def subscribe_and_confirm(client: Client, capture: Any, email: str, **form: str) -> Subscription:
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(f"/subscribe/{form.pop('slug', 'dongshan')}/", {"email": email, **form})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/subscribe/sent/"
    (confirmation,) = mail.outbox
    assert confirmation.to == [email]
    (confirm,) = links(confirmation, "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and "订阅已确认" in page.content.decode()
    mail.outbox.clear()
    return Subscription.objects.order_by("-pk").first()  # type: ignore[return-value]
