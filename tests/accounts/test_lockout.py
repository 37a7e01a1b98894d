"""Lockout that cannot be used as a weapon (issue 17 item 9): 5 failures lock the (account, address) pair for
15 minutes; the account as a whole, or an address for everyone, only after many failures from many addresses
or against many accounts. Audited; lifted by the sysadmin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import AuditEvent
from tests.logins import form_login

LOCK_TEXT = "登录失败次数过多"


def fail(client, username, times, address="10.0.0.1"):
    return [form_login(client, username, "wrong-password", address=address) for _ in range(times)]


def test_login_logout_and_failure_are_audited(client, people):
    user = people["drafter"]
    assert form_login(client, user.username).status_code == 302
    client.post(reverse("staff:logout"))
    form_login(client, user.username, "wrong-password")
    login = AuditEvent.objects.get(action="auth.login", actor=user)
    assert login.address == "10.0.0.1" and login.outcome == "success"
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.outcome == "failure" and failed.object_id == user.username and failed.address == "10.0.0.1"
    assert "wrong-password" not in str(failed.changes)
    assert audit.verify() == []


def test_five_failures_lock_the_pair_even_with_the_right_password(client, people):
    user = people["drafter"]
    responses = fail(client, user.username, 5)
    assert all(r.status_code in (200, 429) for r in responses)
    assert responses[-1].status_code == 429
    blocked = form_login(client, user.username)  # correct password, same address
    assert blocked.status_code == 429
    html = blocked.content.decode()
    assert LOCK_TEXT in html and "15 分钟" in html and "从此地址登录该账号" in html
    assert not client.session.get("_auth_user_id")
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=user.username, outcome="failure").exists()


def test_a_third_party_failing_from_one_address_does_not_lock_the_owner_elsewhere(client, people):
    user = people["drafter"]
    fail(client, user.username, 8, address="10.6.6.6")  # an attacker at A, also past the limit
    assert form_login(client, user.username, address="10.6.6.6").status_code == 429  # A stays stopped
    owner = client.__class__()
    assert form_login(owner, user.username, address="10.7.7.7").status_code == 302  # the owner at B logs in
    assert owner.session.get("_auth_user_id") == str(user.pk)
    # The owner's success does not lift the attacker's lock.
    assert form_login(client, user.username, address="10.6.6.6").status_code == 429


def test_the_account_is_locked_after_the_account_limit_from_many_addresses(client, people, settings):
    settings.GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    user = people["drafter"]
    for i in range(3):  # 3 addresses × 5 = 15: every pair locked, the account not yet
        fail(client, user.username, 5, address=f"10.8.0.{i}")
    assert form_login(client, user.username, address="10.9.9.9").status_code == 302
    client.post(reverse("staff:logout"))
    for i in range(3, 7):  # 35 more from new addresses: over the account limit
        fail(client, user.username, 5, address=f"10.8.0.{i}")
    blocked = form_login(client, user.username, address="10.9.9.8")  # a fresh address, right password
    assert blocked.status_code == 429
    assert "已被整体锁定" in blocked.content.decode()
    assert not client.session.get("_auth_user_id")
    lock = AuditEvent.objects.filter(action="auth.lockout", object_id=user.username).last()
    assert "整体锁定" in lock.comment


def test_one_address_alone_never_locks_the_account(client, people, settings):
    settings.GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT = 20
    user = people["drafter"]
    fail(client, user.username, 30, address="10.6.6.6")  # each address counts at most the pair limit
    assert form_login(client, user.username, address="10.7.7.7").status_code == 302


def test_failures_against_a_few_accounts_do_not_lock_the_address(client, people):
    # Five guessed accounts from one (shared, NAT) address: the colleagues behind it still log in.
    for i in range(5):
        fail(client, f"guess{i}", 5, address="10.6.6.6")
    assert form_login(client, people["reviewer"].username, address="10.6.6.6").status_code == 302


def test_an_address_failing_against_many_accounts_is_locked_for_everyone(client, people, settings):
    settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    for i in range(6):  # 6 accounts × 5 = 30
        fail(client, f"guess{i}", 5, address="10.6.6.6")
    blocked = form_login(client, people["reviewer"].username, address="10.6.6.6")
    assert blocked.status_code == 429 and "您所在的地址" in blocked.content.decode()
    assert form_login(client, people["reviewer"].username, address="10.7.7.7").status_code == 302


def test_four_failures_do_not_lock(client, people):
    fail(client, people["drafter"].username, 4)
    assert form_login(client, people["drafter"].username).status_code == 302


def test_lock_expires_after_fifteen_minutes(client, people):
    fail(client, people["drafter"].username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert form_login(client, people["drafter"].username).status_code == 302


def test_sysadmin_sees_and_lifts_the_lock(client, people):
    fail(client, people["drafter"].username, 5)
    admin = client.__class__()
    admin.force_login(people["sysadmin"])
    page = admin.get(reverse("staff:lockouts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert people["drafter"].username in html and "已锁定" in html
    for attempt in AccessAttempt.objects.all():
        assert admin.post(reverse("staff:unlock", args=[attempt.pk])).status_code == 302
    unlock = AuditEvent.objects.filter(action="auth.unlock", actor=people["sysadmin"])
    assert unlock.exists()
    assert form_login(client, people["drafter"].username).status_code == 302


@pytest.mark.parametrize("role", ["admin", "auditor", "drafter", "supervisor"])
def test_others_cannot_see_or_lift_locks(client, people, role):
    fail(client, people["street_drafter"].username, 5)
    client.force_login(people[role])
    assert client.get(reverse("staff:lockouts")).status_code == 403
    attempt = AccessAttempt.objects.first()
    assert client.post(reverse("staff:unlock", args=[attempt.pk])).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_login_page_states_the_lockout_rule_it_enforces(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=40)
    page = client.get(reverse("staff:login")).content.decode()
    assert "在同一地址连续 3 次输错密码，将暂停从该地址登录此账号 40 分钟" in page
