"""A one-time enrolment code (printed by `gongkai user add --role sysadmin`) is needed, besides the initial
password, to bind the system administrator's first authenticator (issue 17 item 9)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts import services
from gongkai.accounts.models import EnrolmentCode
from gongkai.core import audit
from gongkai.core.errors import ValidationFailed
from gongkai.core.models import AuditEvent
from tests.accounts.test_otp import enrolment
from tests.logins import form_login


def setup_page(client, admin):
    assert form_login(client, admin.username).status_code == 302
    return client.get(reverse("staff:otp_setup"))


def enrol(client, page, enrol_code):
    pending, token = enrolment(page)
    return client.post(reverse("staff:otp_setup"), {"token": token, "pending": pending, "enrol_code": enrol_code})


def test_the_code_is_asked_for_and_a_wrong_one_is_refused_and_audited(client, people):
    admin = people["sysadmin"]
    code = services.issue_enrolment_code(actor=None, user=admin)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert not EnrolmentCode.objects.filter(code_hash__contains=code).exists()  # only a digest is kept
    page = setup_page(client, admin)
    assert "一次性绑定码" in page.content.decode() and 'name="enrol_code"' in page.content.decode()
    for wrong in ("", "AAAA-BBBB-CCCC"):
        refused = enrol(client, page, wrong)  # the authenticator code is right, the enrolment code is not
        assert refused.status_code == 400 and "一次性绑定码：" in refused.content.decode()
        assert not TOTPDevice.objects.filter(user=admin).exists()
    assert (
        AuditEvent.objects.filter(action="auth.enrol_code_use", outcome="failure", object_id=str(admin.pk)).count() == 2
    )
    ok = enrol(client, page, code.lower().replace("-", " "))  # as typed by hand: case and separators do not matter
    assert ok.status_code == 302
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert EnrolmentCode.objects.get(user=admin).used_at is not None
    assert AuditEvent.objects.filter(action="auth.enrol_code_use", outcome="success", actor=admin).exists()
    assert AuditEvent.objects.filter(action="auth.enrol_code_issue").exists()
    assert audit.verify() == []


def test_a_used_code_is_refused(client, people):
    admin = people["sysadmin"]
    first = services.issue_enrolment_code(actor=None, user=admin)
    services.use_enrolment_code(actor=admin, user=admin, code=first)
    services.issue_enrolment_code(actor=None, user=admin)  # a new one is open: the account needs a code
    refused = enrol(client, setup_page(client, admin), first)
    assert refused.status_code == 400 and "已使用过" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_an_expired_code_is_refused(client, people):
    admin = people["sysadmin"]
    code = services.issue_enrolment_code(actor=None, user=admin)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = enrol(client, setup_page(client, admin), code)
    assert refused.status_code == 400 and "已过期" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_a_new_code_replaces_the_old_one(people):
    admin = people["sysadmin"]
    old = services.issue_enrolment_code(actor=None, user=admin)
    services.issue_enrolment_code(actor=None, user=admin)
    with pytest.raises(ValidationFailed) as exc:
        services.use_enrolment_code(actor=admin, user=admin, code=old)
    assert "已过期" in exc.value.errors["enrol_code"][0]


def test_an_account_without_a_code_enrols_as_before(client, people):
    admin = people["sysadmin"]
    page = setup_page(client, admin)
    assert 'name="enrol_code"' not in page.content.decode()
    assert enrol(client, page, "").status_code == 302


def test_user_add_sysadmin_prints_a_code_that_enrols(db, client, tmp_path, settings):
    settings.GONGKAI_ENROL_CODE_HOURS = 24
    call_command("org", "add", "--code", "QH9", "--name", "清河县", "--kind", "county")
    pw = tmp_path / "pw"
    pw.write_text("Xq7-long-enough!\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "user", "add", "wangfang", "--org", "QH9", "--role", "sysadmin", "--password-file", str(pw), stdout=out
    )
    match = re.search(r"一次性绑定码：([A-Z2-9-]{14})（24 小时内有效", out.getvalue())
    assert match, out.getvalue()
    stored = EnrolmentCode.objects.get(user__username="wangfang")
    assert timedelta(hours=23) < stored.expires_at - timezone.now() <= timedelta(hours=24)
    response = form_login(client, "wangfang", "Xq7-long-enough!")
    assert response.status_code == 302
    assert enrol(client, client.get(reverse("staff:otp_setup")), match.group(1)).status_code == 302
    # Other roles get no code.
    out = io.StringIO()
    call_command("user", "add", "lisi", "--org", "QH9", "--role", "drafter", "--password-file", str(pw), stdout=out)
    assert "绑定码" not in out.getvalue()
