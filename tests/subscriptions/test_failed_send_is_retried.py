"""A digest whose mail could not be sent leaves the high-water mark where it was: the next run sends the
same entries; other addresses are not held up."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from gongkai.subscriptions import digest
from gongkai.subscriptions.models import Subscription

from .conftest import subscribe_and_confirm

pytestmark = pytest.mark.django_db


def test_failed_send_is_retried(
    client: Client, tree: Any, draft: Any, publish: Any, django_capture_on_commit_callbacks: Any
) -> None:
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "a@example.com", target="unit")
    subscribe_and_confirm(client, django_capture_on_commit_callbacks, "b@example.com", target="unit")
    entry = publish(draft())
    real = mail.EmailMessage.send

    def flaky(self: mail.EmailMessage, *args: Any, **kwargs: Any) -> int:
        if self.to == ["a@example.com"]:
            raise OSError("connection refused")
        return real(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky):
        out = digest.send_digests()
    assert (out.mails, out.failed) == (1, 1) and [m.to for m in mail.outbox] == [["b@example.com"]]
    assert Subscription.objects.filter(last_sent_at__isnull=True).count() == 1
    mail.outbox.clear()
    assert digest.send_digests().mails == 1
    (message,) = mail.outbox
    assert message.to == ["a@example.com"] and entry.title in message.body
