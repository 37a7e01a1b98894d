"""Signed links (``django.core.signing``), one salt per purpose. A confirmation link lasts 72 hours; an
unsubscribe link never expires (it must work from any mail ever sent), and is bound to the row and its
address hash, so it cannot be turned on anyone else's subscription."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing

from gongkai.core.errors import ValidationFailed

CONFIRM_SALT = "gongkai.subscriptions.confirm"
UNSUBSCRIBE_SALT = "gongkai.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = timedelta(hours=72)

EXPIRED = "确认链接已过期（有效期 72 小时），请重新订阅"
FORGED = "链接无效，请检查是否完整复制了邮件中的链接"


def confirm_token(sub_id: int, email_hash: str) -> str:
    return signing.dumps({"s": sub_id, "h": email_hash[:16]}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(sub_id: int, email_hash: str) -> str:
    return signing.dumps({"s": sub_id, "h": email_hash[:16]}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_all_token(email_hash: str) -> str:
    """Every subscription of one address (the digest's ``List-Unsubscribe`` header)."""
    return signing.dumps({"a": email_hash[:32]}, salt=UNSUBSCRIBE_SALT, compress=True)


def read(token: str, *, salt: str, max_age: timedelta | None = None) -> dict[str, Any]:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationFailed({"token": [EXPIRED]}) from None
    except signing.BadSignature:
        raise ValidationFailed({"token": [FORGED]}) from None
    if not isinstance(value, dict):
        raise ValidationFailed({"token": [FORGED]})
    return value
