"""TOTP second factor: optional for staff, required for the system administrator."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.models import AuditEvent
from tests.logins import form_login


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def unthrottle(device: TOTPDevice) -> None:
    # A failed try makes the next one wait (django-otp throttling); the wait is not the subject here.
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_sysadmin_must_enrol_before_anything_else(client, people):
    admin = people["sysadmin"]
    assert form_login(client, admin.username).status_code == 302
    response = client.get(reverse("staff:lockouts"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:otp_setup"))
    page = client.get(reverse("staff:otp_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "系统管理员账号必须启用动态验证码" in html
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(reverse("staff:otp_setup"), {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "动态验证码：" in wrong.content.decode()
    unthrottle(device)
    ok = client.post(reverse("staff:otp_setup"), {"token": code_for(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("staff:lockouts")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol", actor=admin).exists()


def test_enrolled_user_is_asked_for_the_code_after_the_password(client, people):
    user = people["reviewer"]
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    form_login(client, user.username)
    response = client.get(reverse("staff:review_queue"))
    assert response["Location"].startswith(reverse("staff:otp_verify"))
    # The API is closed too, without a redirect.
    assert client.get("/api/v1/").status_code == 403
    bad = client.post(reverse("staff:otp_verify"), {"token": "12345"})
    assert bad.status_code == 400 and "动态验证码不正确" in bad.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_verify", outcome="failure").exists()
    unthrottle(device)
    ok = client.post(reverse("staff:otp_verify") + "?next=/staff/review/", {"token": code_for(device)})
    assert ok.status_code == 302 and ok["Location"] == "/staff/review/"
    assert client.get(reverse("staff:review_queue")).status_code == 200


def test_next_cannot_point_off_site(client, people):
    user = people["reviewer"]
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    form_login(client, user.username)
    ok = client.post(reverse("staff:otp_verify"), {"token": code_for(device), "next": "https://evil.example/"})
    assert ok["Location"] == reverse("staff:dashboard")


def test_staff_without_device_log_in_with_the_password_only(client, people):
    form_login(client, people["drafter"].username)
    assert client.get(reverse("staff:entry_list")).status_code == 200


def test_optional_enrolment_for_staff(client, people):
    user = people["drafter"]
    form_login(client, user.username)
    page = client.get(reverse("staff:otp_setup"))
    assert page.status_code == 200 and "启用后，每次登录" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("staff:otp_setup"), {"token": code_for(device)}).status_code == 302
    client.post(reverse("staff:logout"))
    form_login(client, user.username)
    assert client.get(reverse("staff:entry_list"))["Location"].startswith(reverse("staff:otp_verify"))


@pytest.mark.parametrize("path", ["staff:otp_verify", "staff:otp_setup"])
def test_anonymous_cannot_reach_the_otp_pages(client, db, path):
    assert client.get(reverse(path))["Location"].startswith(reverse("staff:login"))
