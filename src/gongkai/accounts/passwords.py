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


#: zxcvbn's warnings in the words of the page (the rest get the general hint).
_WARNINGS = {
    "This is similar to a commonly used password.": "与常见密码相似",
    "This is a top-10 common password.": "是最常见的密码之一",
    "This is a top-100 common password.": "是最常见的密码之一",
    "This is a very common password.": "是很常见的密码",
    "Dates are often easy to guess.": "含有日期，日期很容易被猜到",
    "Recent years are easy to guess.": "含有年份，年份很容易被猜到",
    "Straight rows of keys are easy to guess.": "是键盘上连成一排的按键",
    "Short keyboard patterns are easy to guess.": "是键盘上的简单图形",
    "Names and surnames by themselves are easy to guess.": "只是姓名",
    "Common names and surnames are easy to guess.": "是常见的姓名",
    "A word by itself is easy to guess.": "只是一个常见的词",
    'Repeats like "aaa" are easy to guess.': "有重复的字符",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "有重复的片段",
    "Sequences like abc or 6543 are easy to guess.": "有连续的字母或数字",
}


class StrengthValidator:
    """How long a password would survive guessing (zxcvbn, score 0–4), not only which characters it has:
    ``Passw0rd!`` and ``Qinghe2025!`` pass the class rule but are among the first guesses. The user's own name,
    the units' pinyin names (``Org.slug``: qinghe, dongshan…) and ``GONGKAI_PASSWORD_WORDS`` count as known words."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def _known_words(self, user: Any) -> list[str]:
        from gongkai.orgs.models import Org

        words = [w.strip() for w in getattr(settings, "GONGKAI_PASSWORD_WORDS", "").split(",") if w.strip()]
        words += list(Org.objects.values_list("slug", flat=True)[:1000])
        for attr in ("username", "first_name", "last_name", "email"):
            value = str(getattr(user, attr, "") or "")
            if value:
                words += [value, value.split("@")[0]]
        return words

    def validate(self, password: str, user: Any = None) -> None:
        from zxcvbn import zxcvbn

        result = zxcvbn(password[:100], user_inputs=self._known_words(user))
        if result["score"] >= self.min_score:
            return
        warning = _WARNINGS.get(result["feedback"].get("warning") or "", "")
        why = f"{warning}；" if warning else ""
        raise ValidationError(
            f"密码太容易被猜到（强度 {result['score']}/4，至少需要 {self.min_score}）：{why}"
            "请用几个不相关的词或一句话加数字和符号，不要用单位名称、年份、姓名或 Password 之类的词",
            code="password_too_guessable",
        )

    def get_help_text(self) -> str:
        return "不能是容易被猜到的密码（如 Passw0rd!、单位拼音加年份）"


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
