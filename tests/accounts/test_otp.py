"""TOTP second factor: optional for staff, required for the system administrator."""

from __future__ import annotations

import base64
import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.views import ENROL_SALT
from gongkai.core.models import AuditEvent
from tests.logins import form_login


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def enrolment(page) -> tuple[str, str]:
    """The signed pending secret of an enrolment page and the code its authenticator would show now."""
    html = page.content.decode()
    pending = re.search(r'name="pending" value="([^"]+)"', html)
    secret = re.search(r'手动输入密钥 <span class="mono">([A-Z2-7]+)</span>', html)
    assert pending and secret, html
    key = base64.b32decode(secret.group(1) + "=" * (-len(secret.group(1)) % 8))
    return pending.group(1), f"{totp(key, step=30, t0=0, digits=6):06d}"


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
    assert not TOTPDevice.objects.filter(user=admin).exists()  # the page stores nothing
    pending, code = enrolment(page)
    wrong = client.post(
        reverse("staff:otp_setup"), {"token": "000000" if code != "000000" else "111111", "pending": pending}
    )
    assert wrong.status_code == 400 and "动态验证码：" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    # The same secret again (the authenticator already has it); the token is re-signed, so compare what it carries.
    assert signing.loads(enrolment(wrong)[0], salt=ENROL_SALT) == signing.loads(pending, salt=ENROL_SALT)
    ok = client.post(reverse("staff:otp_setup"), {"token": code, "pending": pending})
    assert ok.status_code == 302
    device = TOTPDevice.objects.get(user=admin)
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
    pending, code = enrolment(page)
    assert client.post(reverse("staff:otp_setup"), {"token": code, "pending": pending}).status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    client.post(reverse("staff:logout"))
    form_login(client, user.username)
    assert client.get(reverse("staff:entry_list"))["Location"].startswith(reverse("staff:otp_verify"))


@pytest.mark.parametrize("path", ["staff:otp_verify", "staff:otp_setup"])
def test_anonymous_cannot_reach_the_otp_pages(client, db, path):
    assert client.get(reverse(path))["Location"].startswith(reverse("staff:login"))


def test_a_pending_secret_is_the_users_own_and_expires(client, people, monkeypatch):
    drafter, reviewer = people["drafter"], people["reviewer"]
    client.force_login(reviewer)
    pending, code = enrolment(client.get(reverse("staff:otp_setup")))
    client.force_login(drafter)
    stolen = client.post(reverse("staff:otp_setup"), {"token": code, "pending": pending})
    assert stolen.status_code == 400 and "二维码已过期" in stolen.content.decode()
    tampered = client.post(reverse("staff:otp_setup"), {"token": code, "pending": pending[:-2] + "xx"})
    assert tampered.status_code == 400
    pending, code = enrolment(client.get(reverse("staff:otp_setup")))
    later = time.time() + 16 * 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))  # the signer's clock only
    expired = client.post(reverse("staff:otp_setup"), {"token": code, "pending": pending})
    assert expired.status_code == 400 and "二维码已过期" in expired.content.decode()
    assert not TOTPDevice.objects.exists()
