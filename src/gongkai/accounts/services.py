"""Writes on user accounts (the memberships that give them roles are ``orgs.services``)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_changed, validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.permissions import can_manage_accounts, require

from . import selectors
from .models import EnrolmentCode
from .passwords import require_change


def create_user(
    *, actor: Any, username: str, password: str, full_name: str = "", email: str = "", must_change: bool = True
) -> Any:
    (user,) = create_users(
        actor=actor, password=password, people=[(username, full_name, email)], must_change=must_change
    )
    return user


def create_users(
    *, actor: Any, password: str, people: Sequence[tuple[str, str, str]], must_change: bool = True
) -> list[Any]:
    """Accounts that start with the same password, hashed once: Argon2 costs about a second a hash, so
    seeding (``gongkai demo``'s 16 accounts) or a batch of new colleagues would otherwise spend most of its
    time hashing one password. ``people`` are (username, full name, e-mail). Each account is checked as
    ``create_user`` checks one (the password also against that user's own name) before any is saved, and
    each gets its own audit event; the first account with a problem is reported."""
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以新建账号")
    user_model = get_user_model()
    candidates = []
    seen: set[str] = set()
    for username, full_name, email in people:
        errors: dict[str, list[str]] = {}
        if not re.match(r"^[A-Za-z0-9_.@-]{3,150}$", username or ""):
            errors["username"] = ["用户名应为 3–150 位字母、数字或 _ . @ -"]
        elif username in seen or user_model.objects.filter(username=username).exists():
            errors["username"] = [f"用户名 {username} 已存在"]
        seen.add(username)
        candidate = user_model(username=username, first_name=full_name[:150], email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = [str(m) for m in exc.messages]
        if errors:
            raise ValidationFailed(errors)
        candidates.append(candidate)
    hashed = make_password(password)
    with transaction.atomic():
        for candidate in candidates:
            candidate.password = hashed
            candidate.save()
            password_changed(password, candidate)  # what set_password + save would have triggered
            if must_change and actor is not None:
                # An administrator chose this password, so it is not the user's secret: change it at first
                # login. (actor=None is the operator's own bootstrap or seeding, where no second person knows it.)
                require_change(candidate)
            audit.record(Action.USER_CREATE, actor=actor, obj=candidate, changes={"username": candidate.username})
    return candidates


# --------------------------------------------------------------------------- one-time 2FA enrolment codes

#: Letters of a one-time code (enrolment, password reset): no 0/O or 1/I/L, so a printed code is read back
#: without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def random_letters(n: int) -> str:
    """``n`` letters of ``CODE_ALPHABET`` from the system's secure random source."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(n))


def issue_enrolment_code(*, actor: Any, user: Any) -> str:
    """A new one-time code for binding ``user``'s first authenticator, valid ``GONGKAI_ENROL_CODE_HOURS``; any
    earlier unused code of the user stops working. Returned once (for printing) and stored only as a digest.
    Issue 17 item 9: the initial password alone must not enrol the system administrator's second factor."""
    if actor is not None:
        require(can_manage_accounts(actor), "只有系统管理员可以发放一次性绑定码")
    code = "-".join(random_letters(4) for _ in range(3))
    now = timezone.now()
    expires = now + timedelta(hours=settings.GONGKAI_ENROL_CODE_HOURS)
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        EnrolmentCode.objects.create(user=user, code_hash=selectors.enrolment_code_digest(code), expires_at=expires)
        audit.record(
            Action.AUTH_ENROL_CODE_ISSUE,
            actor=actor,
            obj=user,
            changes={"expires_at": expires.isoformat(timespec="minutes")},
        )
    return code


def drop_devices(*, actor: Any, user: Any) -> int:
    """The holder lost or replaced the phone: unbind every authenticator, so the next login binds a new one
    (with a fresh enrolment code for a system administrator, ``issue_enrolment_code``). Audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        dropped, _ = TOTPDevice.objects.filter(user=user).delete()
        audit.record(Action.AUTH_OTP_DROP, actor=actor, obj=user, changes={"devices": dropped})
    return dropped


def use_enrolment_code(*, actor: Any, user: Any, code: str) -> None:
    """Spend ``user``'s enrolment code. A wrong, used or expired code is refused (ValidationFailed on the
    ``enrol_code`` field) and the refusal audited; a good one is marked used, in the caller's transaction
    (the one that saves the authenticator), and audited."""
    problem = selectors.enrolment_code_problem(user, code)
    if problem is None:
        with transaction.atomic():
            found = (
                EnrolmentCode.objects.select_for_update()
                .filter(user=user, code_hash=selectors.enrolment_code_digest(code), used_at__isnull=True)
                .first()
            )
            if found is not None and found.expires_at > timezone.now():
                found.used_at = timezone.now()
                found.save(update_fields=["used_at"])
                audit.record(Action.AUTH_ENROL_CODE_USE, actor=actor, obj=user)
                return
        problem = "该一次性绑定码已使用过，请向系统管理员索取新的绑定码"  # spent by a concurrent request
    refuse_enrolment_code(actor=actor, user=user, problem=problem)


def refuse_enrolment_code(*, actor: Any, user: Any, problem: str) -> None:
    """Audit a refused enrolment code and raise the error on the ``enrol_code`` field."""
    with transaction.atomic():
        audit.record(Action.AUTH_ENROL_CODE_USE, actor=actor, obj=user, success=False, comment=problem)
    raise ValidationFailed({"enrol_code": [problem]})
