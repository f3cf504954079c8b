"""Encryption of the providers' tokens at rest (Fernet: AES-128-CBC with HMAC-SHA256).

Keys come from ``NOTIFY_ENCRYPTION_KEYS`` (comma-separated Fernet keys, the first encrypts, all
decrypt: add a new key in front to rotate; the next token refresh stores the tokens under it, and
the old key can go after that); without
it one key is derived from ``SECRET_KEY``, so changing SECRET_KEY then needs the tokens set again.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "NOTIFY_ENCRYPTION_KEYS", []) or [])
    if not keys:
        digest = hashlib.sha256(b"notifications.tokens:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def reencrypt(token: str) -> str:
    """The same secret under the first (newest) key."""
    return _fernet().rotate(token.encode()).decode() if token else ""
