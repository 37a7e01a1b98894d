"""Security headers on every kind of response, and templates that a strict CSP does not break."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

import gongkai

CSP_PARTS = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def assert_hardened(response):
    csp = response["Content-Security-Policy"]
    for part in CSP_PARTS:
        assert part in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_login_page(client, db):
    response = client.get(reverse("staff:login"))
    assert response.status_code == 200
    assert_hardened(response)


def test_staff_page_and_redirect(client, people):
    assert_hardened(client.get(reverse("staff:dashboard")))  # anonymous → redirect
    client.force_login(people["drafter"])
    assert_hardened(client.get(reverse("staff:dashboard")))


def test_public_pages_and_404(client, db):
    assert_hardened(client.get("/"))
    assert_hardened(client.get("/no-such-page-at-all/"))


def test_database_outage_page_is_hardened_and_has_no_inline_style(client, people, monkeypatch):
    from gongkai.staff import views

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(views.selectors, "visible_entries", broken)
    client.force_login(people["drafter"])
    response = client.get(reverse("staff:entry_list"))
    assert response.status_code == 503
    assert_hardened(response)
    html = response.content.decode()
    assert "暂时无法服务" in html and "style=" not in html and "/static/core/plain.css" in html


@override_settings(SECURE_SSL_REDIRECT=False)
def test_hsts_on_https_outside_development(client, db, settings):
    assert settings.GONGKAI_ENV == "test"
    response = client.get(reverse("staff:login"), secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_session_cookie_flags(client, people, settings):
    from tests.logins import form_login

    response = form_login(client, people["drafter"].username)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert not cookie["max-age"]  # a browser-session cookie: gone when the browser closes


TEMPLATE_ROOT = Path(gongkai.__file__).parent
INLINE = re.compile(r"""\sstyle\s*=|<style[\s>]|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*["']""", re.I)


def _inline_offenders(paths):
    out = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                out.append(f"{path.relative_to(TEMPLATE_ROOT)}:{number}")
    return out


def test_no_template_in_the_project_has_inline_code():
    # A new template with style="…" or an inline <script> would be silently broken by the CSP: fail here instead.
    assert _inline_offenders(TEMPLATE_ROOT.rglob("templates/**/*.html")) == []


def test_a_database_error_inside_a_middleware_is_a_503_page_too(client, people, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(people["drafter"])

    def broken(self):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(SessionStore, "load", broken)
    client.raise_request_exception = False
    response = client.get(reverse("staff:entry_list"))
    assert response.status_code == 503 and "暂时无法服务" in response.content.decode()
    response = client.get("/api/v1/applications/YSQ-X-2026-00001", {"code": "ABCDEFGH"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"
