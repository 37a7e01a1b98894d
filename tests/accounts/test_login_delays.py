"""Growing delays before the lock (issue 17 item 9; 等保 2.0 8.1.4.1 b)): after each failure of an (account,
address) pair the next try from that pair waits longer (GONGKAI_LOGIN_DELAYS), is refused with a Chinese answer
that says how long, and does not count as a failure; the owner at another address is never delayed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from gongkai.accounts import selectors
from tests.logins import form_login


@pytest.fixture(autouse=True)
def _delays(settings):
    settings.GONGKAI_LOGIN_DELAYS = (1, 2, 4, 8)


def _age(seconds: float) -> None:
    """As if the pair's last failure happened ``seconds`` ago."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=seconds))


def _failures(username: str) -> int:
    return sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))


def test_each_failure_makes_the_next_wait_longer(client, people):
    name = people["drafter"].username
    waits = []
    for n in range(1, 5):
        assert form_login(client, name, "wrong-password").status_code == 200
        assert _failures(name) == n
        waits.append(selectors.pair_wait(name, "10.0.0.1"))
        _age(60)  # past every delay: the next wrong password is checked and counted
    assert waits == [1, 2, 4, 8]


def test_a_try_within_the_delay_is_refused_uncounted_and_says_how_long(client, people):
    name = people["drafter"].username
    form_login(client, name, "wrong-password")
    _age(60)
    form_login(client, name, "wrong-password")  # second failure: the next try waits 2 s
    early = form_login(client, name)  # the right password, at once
    assert early.status_code == 429 and early["Retry-After"] in {"1", "2"}
    html = early.content.decode()
    assert "请等待" in html and "秒后再登录" in html and name in html  # the typed name is kept
    assert not client.session.get("_auth_user_id")
    assert _failures(name) == 2  # the refused try did not count
    assert form_login(client, name, "another-wrong-one").status_code == 429
    assert _failures(name) == 2  # nor does a wrong password within the delay: it is not even checked
    _age(3)
    assert form_login(client, name).status_code == 302  # after the delay the right password logs in


def test_the_owner_at_another_address_is_not_delayed(client, people):
    name = people["drafter"].username
    form_login(client, name, "wrong-password", address="10.6.6.6")
    assert form_login(client, name, address="10.6.6.6").status_code == 429
    owner = client.__class__()
    assert form_login(owner, name, address="10.7.7.7").status_code == 302


def test_the_pair_lock_still_comes_after_the_delays(client, people):
    name = people["drafter"].username
    for _ in range(5):
        form_login(client, name, "wrong-password")
        _age(60)
    locked = form_login(client, name)
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()


def test_a_name_longer_than_any_account_is_refused_before_it_is_counted(client, db):
    answer = form_login(client, "长" * 60_000, "wrong-password")
    assert answer.status_code == 400 and "用户名最多 150 个字符" in answer.content.decode()
    assert not AccessAttempt.objects.exists()
