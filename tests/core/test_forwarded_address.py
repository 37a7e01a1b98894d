"""Behind nginx the client's address comes from X-Forwarded-For, but only when nginx is who says so."""

from __future__ import annotations

import pytest
from django.test import override_settings

from gongkai.core.models import AuditEvent
from tests.logins import form_login


@pytest.mark.parametrize(
    ("peer", "forwarded", "seen"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # nginx on the same host says who the client is
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part was written by the client
        ("127.0.0.1", "203.0.113.9, 127.0.0.1", "203.0.113.9"),  # a second trusted hop is skipped
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # anyone else's header is ignored
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ],
)
@override_settings(GONGKAI_TRUSTED_PROXIES=frozenset({"127.0.0.1"}))
def test_failed_login_is_recorded_with_the_real_client_address(client, people, peer, forwarded, seen):
    form_login(client, people["drafter"].username, "wrong-password", address=peer, HTTP_X_FORWARDED_FOR=forwarded)
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
    assert event.address == seen


def test_without_trusted_proxies_the_header_is_ignored(client, people, settings):
    assert not settings.GONGKAI_TRUSTED_PROXIES
    form_login(
        client, people["drafter"].username, "wrong-password", address="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert AuditEvent.objects.filter(action="auth.login_failed").latest("id").address == "198.51.100.7"
