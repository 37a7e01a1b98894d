"""Password policy (等保 2.0): complexity, expiry, and a forced change on first login and after a reset.

The complexity rule is a Django password validator, so every path that sets a password through
``validate_password`` (account creation, the change page, an administrator's reset) applies it.
``ChangeRecorder`` rides on the same machinery: Django calls ``password_changed`` on every configured
validator whenever a user with a new password is saved, which is the one place no code path can skip.
"""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.audit_actions import Action
from gongkai.core.errors import ValidationFailed
from gongkai.orgs.permissions import can_manage_accounts, require

from .models import PasswordState

_CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c.isdigit()),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class ComplexityValidator:
    """At least ``min_classes`` of upper case, lower case, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        present = [name for name, test in _CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类，当前只有 {len(present)} 类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a Chinese message: Django 5.2 reworded it and the zh_Hans catalogue lags."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符"

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符"


class ChangeRecorder:
    """Not a check. Stamps ``PasswordState.changed_at`` whenever a new password is saved, and clears
    ``must_change``: whoever saved it, the old (possibly administrator-known) password is gone.
    ``require_change`` sets the flag again afterwards where the new password is not the user's own."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        PasswordState.objects.update_or_create(user=user, defaults={"changed_at": timezone.now(), "must_change": False})

    def get_help_text(self) -> str:
        return ""


def require_change(user: Any) -> None:
    """The next staff request of ``user`` goes to the change-password page until the password is changed."""
    PasswordState.objects.update_or_create(
        user=user, defaults={"must_change": True}, create_defaults={"changed_at": timezone.now(), "must_change": True}
    )


def change_reason(user: Any) -> str | None:
    """Why ``user`` must change the password now, in Chinese; ``None`` if they need not."""
    state = PasswordState.objects.filter(user=user).first()
    if state is not None and state.must_change:
        return "首次登录或管理员重置密码后，须先修改密码"
    max_age = int(getattr(settings, "GONGKAI_PASSWORD_MAX_AGE_DAYS", 90))
    if max_age <= 0:
        return None
    # Accounts from before this table existed count from the day they were created.
    changed_at = state.changed_at if state is not None else user.date_joined
    if timezone.now() - changed_at > timedelta(days=max_age):
        return f"密码已使用超过 {max_age} 天，须修改后才能继续使用"
    return None


def check_new_password(user: Any, new_password: str, field: str = "new_password1") -> None:
    """Policy checks plus "not the same as before", as a ``ValidationFailed`` naming the field."""
    errors: list[str] = []
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        errors.extend(str(m) for m in exc.messages)
    if user.has_usable_password() and user.check_password(new_password):
        errors.append("新密码不能与原密码相同")
    if errors:
        raise ValidationFailed({field: errors})


def change_own_password(*, user: Any, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed({"old_password": ["原密码不正确"]})
    check_new_password(user, new_password)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(Action.AUTH_PASSWORD_CHANGE, actor=user, obj=user)


def admin_reset_password(*, actor: Any, user: Any, new_password: str) -> None:
    """An administrator sets a temporary password; the user must replace it at the next login."""
    require(can_manage_accounts(actor), "只有系统管理员可以重置密码")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed({"password": [str(m) for m in exc.messages]}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        require_change(user)
        audit.record(Action.AUTH_PASSWORD_RESET, actor=actor, obj=user, changes={"username": user.username})
