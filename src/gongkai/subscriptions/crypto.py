"""The subscriber's address at rest: a keyed hash for look-up, Fernet for the digest to send to.

Both keys are derived from ``SECRET_KEY`` with HKDF-SHA256 under different ``info`` labels, so neither is
``SECRET_KEY`` itself and the two are independent. Old keys in ``SECRET_KEY_FALLBACKS`` still decrypt
(``MultiFernet``); hashes are computed with the current key only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())


def normalise(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    key = _derive(settings.SECRET_KEY, b"gongkai.subscriptions.email-hash")
    return hmac.new(key, normalise(email).encode(), hashlib.sha256).hexdigest()


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(s, b"gongkai.subscriptions.email-fernet"))) for s in secrets]
    )


def encrypt(email: str) -> str:
    return _fernet().encrypt(email.strip().encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
