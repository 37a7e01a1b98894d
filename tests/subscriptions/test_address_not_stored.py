"""The subscriber's address is nowhere in the database in clear: not in the row, not in the raw table, not in
the audit log; the hash finds it and the ciphertext decrypts to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from gongkai.core.models import AuditEvent
from gongkai.subscriptions import crypto
from gongkai.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def test_plain_address_not_in_database(client: Client, tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    email = "Wang.Xiaoming@Example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/subscribe/dongshan/", {"email": email, "target": "unit"}).status_code == 302
    sub = Subscription.objects.get()
    assert sub.email_hash == crypto.email_hash("wang.xiaoming@example.cn") and len(sub.email_hash) == 64
    assert crypto.decrypt(sub.email_encrypted) == email
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Subscription._meta.db_table}")
        raw = repr(cursor.fetchall())
    for needle in (email, email.lower(), "Wang.Xiaoming", "wang.xiaoming", "Example.cn"):
        assert needle not in raw
    events = repr(list(AuditEvent.objects.values()))
    assert "subscription.create" in events and "xiaoming" not in events.lower()


def test_keys_are_derived_not_secret_key(settings: Any) -> None:
    """Another SECRET_KEY gives another hash and cannot decrypt; SECRET_KEY_FALLBACKS still decrypts."""
    token, digest = crypto.encrypt("a@example.com"), crypto.email_hash("a@example.com")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "another-secret-key-for-the-test-" * 2, [settings.SECRET_KEY]
    assert crypto.email_hash("a@example.com") != digest
    assert crypto.decrypt(token) == "a@example.com"
