"""Reads on account security: how many recent login failures an account or an address has collected.

GB/T 22239-2019（等保 2.0）8.1.4.1 b) asks for 登录失败处理 that limits illegal login attempts. A lock keyed on the
account alone lets anyone lock a named colleague out, and one keyed on the address alone locks everyone behind a
shared NAT address; so axes locks the (account, address) pair (``AXES_LOCKOUT_PARAMETERS``), and these selectors
add the two wider locks, each counted over ``AXES_COOLOFF_TIME``:

- an **account** is locked as a whole after ``GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT`` failures from many addresses;
- an **address** is locked for everyone after ``GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT`` failures against many accounts.

Each address's (or account's) share of the count is capped at the pair limit (``AXES_FAILURE_LIMIT``): one address
hammering one account is already stopped by the pair lock and cannot by itself lock the account for its owner,
so with the defaults (5, 50, 100) an account lock takes at least 10 addresses and an address lock 20 accounts.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from typing import Any, Literal

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import EnrolmentCode

#: Which lock refuses a login: the (account, address) pair, the whole account, or the whole address.
LockReason = Literal["pair", "account", "address"]


def recent_attempts() -> QuerySet[AccessAttempt]:
    """Failure records whose last failure is within the cool-off window (the window axes itself counts in)."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)


def _capped_sum(rows: QuerySet[AccessAttempt], group_by: str) -> int:
    # One record per (username, address, user agent): sum per group first, so a changed user agent does not
    # buy a second share, then cap each group's share at the pair limit.
    per_group: dict[str | None, int] = defaultdict(int)
    for key, failures in rows.values_list(group_by, "failures_since_start"):
        per_group[key] += failures
    cap = int(settings.AXES_FAILURE_LIMIT)
    return sum(min(n, cap) for n in per_group.values())


def pair_failures(username: str | None, ip_address: str | None) -> int:
    if not username or not ip_address:
        return 0
    rows = recent_attempts().filter(username=username, ip_address=ip_address)
    return sum(rows.values_list("failures_since_start", flat=True))


def account_failures(username: str | None) -> int:
    """Recent failures against ``username`` from all addresses, each address counting at most the pair limit."""
    if not username:
        return 0
    return _capped_sum(recent_attempts().filter(username=username), "ip_address")


def address_failures(ip_address: str | None) -> int:
    """Recent failures from ``ip_address`` against all accounts, each account counting at most the pair limit."""
    if not ip_address:
        return 0
    return _capped_sum(recent_attempts().filter(ip_address=ip_address), "username")


def account_locked(username: str | None) -> bool:
    return account_failures(username) >= settings.GONGKAI_LOGIN_ACCOUNT_FAILURE_LIMIT


def address_locked(ip_address: str | None) -> bool:
    return address_failures(ip_address) >= settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT


def lock_reason(username: str | None, ip_address: str | None) -> LockReason | None:
    """The lock that refuses ``username`` logging in from ``ip_address`` now, the widest first; None if none."""
    if account_locked(username):
        return "account"
    if address_locked(ip_address):
        return "address"
    if pair_failures(username, ip_address) >= settings.AXES_FAILURE_LIMIT:
        return "pair"
    return None


def pair_wait(username: str | None, ip_address: str | None) -> int:
    """Seconds before ``username`` may try again from ``ip_address``: the growing delay after the pair's n-th
    recent failure (``GONGKAI_LOGIN_DELAYS``, the last figure repeating), less the time since that failure.

    等保 2.0 8.1.4.1 b) 限制非法登录次数: the delays slow one address guessing one account long before the pair
    lock, and never touch the account's owner at another address."""
    if not username or not ip_address:
        return 0
    rows = list(recent_attempts().filter(username=username, ip_address=ip_address))
    failures = sum(r.failures_since_start for r in rows)
    delays = settings.GONGKAI_LOGIN_DELAYS
    if failures <= 0 or not delays:
        return 0
    delay = delays[min(failures, len(delays)) - 1]
    since = (timezone.now() - max(r.attempt_time for r in rows)).total_seconds()
    return max(0, math.ceil(delay - since))


# --------------------------------------------------------------------------- one-time 2FA enrolment codes


def enrolment_code_digest(code: str) -> str:
    """The stored form of a code: SHA-256 of its letters, upper-cased, without spaces or dashes."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def open_enrolment_code(user: Any) -> EnrolmentCode | None:
    """The user's unused enrolment code (expired or not), newest first: with one, binding 2FA needs it."""
    return EnrolmentCode.objects.filter(user=user, used_at__isnull=True).order_by("-created_at", "-id").first()


def enrolment_code_problem(user: Any, code: str) -> str | None:
    """Why ``code`` cannot enrol ``user``'s authenticator now (Chinese, for the 一次性绑定码 field), or None."""
    if not code.strip():
        return "请输入系统管理员新建账号时打印的一次性绑定码"
    found = EnrolmentCode.objects.filter(user=user, code_hash=enrolment_code_digest(code)).first()
    if found is None:
        return "一次性绑定码不正确，请核对打印的绑定码"
    if found.used_at is not None:
        return "该一次性绑定码已使用过，请向系统管理员索取新的绑定码"
    if found.expires_at <= timezone.now():
        return "该一次性绑定码已过期，请向系统管理员索取新的绑定码"
    return None
