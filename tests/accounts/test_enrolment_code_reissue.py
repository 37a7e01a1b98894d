"""`gongkai user enrol-code` (issue 17 item 9): a system administrator whose code lapsed, or who lost the phone,
gets a new one-time enrolment code from the shell; --new-device unbinds the old authenticator first, audited."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts import services
from gongkai.core.models import AuditEvent

from .test_enrolment_code import enrol, setup_page

CODE = re.compile(r"一次性绑定码：([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("user", "enrol-code", *args, stdout=out)
    return out.getvalue()


def test_a_lapsed_code_is_replaced_and_the_new_one_enrols(client, people):
    admin = people["sysadmin"]
    old = services.issue_enrolment_code(actor=None, user=admin)
    new = CODE.search(run(admin.username)).group(1)
    page = setup_page(client, admin)
    assert enrol(client, page, old).status_code == 400  # the earlier code no longer works
    assert enrol(client, client.get(reverse("staff:otp_setup")), new).status_code == 302
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).count() == 1


def test_a_lost_phone_needs_new_device_and_is_audited(client, people):
    admin = people["sysadmin"]
    page = setup_page(client, admin)
    assert enrol(client, page, "").status_code == 302  # bound without a code (no code was ever issued)
    with pytest.raises(CommandError, match="已绑定验证器，不需要绑定码"):
        run(admin.username)
    printed = run(admin.username, "--new-device")
    assert "已解除 sysadmin 的 1 个验证器" in printed and CODE.search(printed)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(action="auth.otp_drop")
    assert event.object_id == str(admin.pk) and event.changes["devices"] == 1


def test_bad_input(db):
    with pytest.raises(CommandError, match="账号 nobody 不存在"):
        run("nobody")
