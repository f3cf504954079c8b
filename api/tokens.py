"""Making, checking and revoking personal access tokens.

A token is ``hlcd_`` and 43 URL-safe characters (256 random bits). Only its SHA-256 is kept: a
copy of the database does not give anyone a working token, and a token too long to guess needs
no slow hash. Looking one up is one query on the unique digest.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from organizations.scope import is_auditor, is_manager

from .models import AccessToken, TokenScope

TOKEN_PREFIX = "hlcd_"
SHOWN_CHARS = 12  # "hlcd_" and the first 7 random characters, shown in lists
LAST_USED_EVERY = timedelta(minutes=5)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def may_use_api(user) -> bool:
    """Staff roles only: auditors and unit managers. A learner's own records are theirs to see
    on the site and (later) as an Open Badges credential; the API is for other systems."""
    return bool(user and user.is_authenticated and user.is_active and (is_auditor(user) or is_manager(user)))


def max_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=settings.API_TOKEN_MAX_DAYS)


@transaction.atomic
def create_token(*, user, name: str, scope: str, expires_at: datetime) -> tuple[AccessToken, str]:
    """A new token for ``user``: the saved row and the token itself, which is never stored and
    cannot be shown again. The expiry is clamped to ``API_TOKEN_MAX_DAYS`` from now."""
    if scope not in TokenScope.values:
        raise ValueError(f"unknown scope {scope!r}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:SHOWN_CHARS],
        digest=digest(raw),
        scope=scope,
        expires_at=min(expires_at, max_expiry()),
    )
    return token, raw


def revoke_token(*, token: AccessToken, now: datetime | None = None) -> AccessToken:
    """Refuse the token from the next request on. Idempotent: a second revoke keeps the first date."""
    now = now or timezone.now()
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return token


def find_token(raw: str) -> AccessToken | None:
    """The token row for a presented token, usable or not (the caller says why not), with its
    user. One query; None for anything that is not one of ours."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    return AccessToken.objects.select_related("user").filter(digest=digest(raw)).first()


def note_use(token: AccessToken, now: datetime | None = None) -> None:
    """Record that the token was used: at most one UPDATE every ``LAST_USED_EVERY``, so a busy
    integration does not write a row on every request."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
