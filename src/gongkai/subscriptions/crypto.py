"""The subscriber's address at rest: a keyed hash for look-up, Fernet for the digest to send to.

Both keys are derived from ``SECRET_KEY`` with HKDF-SHA256 under different ``info`` labels, so neither is
``SECRET_KEY`` itself and the two are independent. After ``SECRET_KEY`` is rotated, the old key kept in
``SECRET_KEY_FALLBACKS`` still decrypts (``MultiFernet``) and still finds the address (``email_hashes``): a row
keeps the hash it was given, and a new subscription of an address already on file takes that same hash, so the
address still gets one digest and every link in the mails already sent keeps working.
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


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _hash(secret: str, email: str) -> str:
    key = _derive(secret, b"gongkai.subscriptions.email-hash")
    return hmac.new(key, normalise(email).encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    """The address's hash under the current key."""
    return _hash(settings.SECRET_KEY, email)


def email_hashes(email: str) -> list[str]:
    """The address's hash under the current key and under each old key still in ``SECRET_KEY_FALLBACKS``."""
    return list(dict.fromkeys(_hash(secret, email) for secret in _secrets()))


def _fernet() -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(s, b"gongkai.subscriptions.email-fernet"))) for s in _secrets()]
    )


def encrypt(email: str) -> str:
    return _fernet().encrypt(email.strip().encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
