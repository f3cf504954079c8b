"""Activation without e-mail: an officer with no account gets a code (printed on an activation
sheet, or sent as a link over Zalo), confirms their date of birth and chooses a password.

A code is 12 symbols of Crockford's base32 (the digits and the capital letters without I, L, O
and U, so no two look alike on paper), drawn with ``secrets``: 60 random bits, printed in
groups of four (``K7QM-3XPD-9RTA``). Only its SHA-256 is stored; the plain code exists on the
sheet or in the link. What people type is read leniently: any case, spaces and dashes anywhere,
``O`` read as ``0`` and ``I``/``L`` as ``1`` (Crockford's rule; the same as certificate codes).

Rules: a code is valid 30 days and works once; making a new code for an officer supersedes the
previous one (one open code per officer, held by the database); only officers without an
account get codes. Wrong codes and wrong dates of birth are limited per client address and per
officer (``ACTIVATION_FAILURE_LIMIT`` an hour, counted in Django's shared cache).
"""

import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from organizations.models import Officer

from .models import ActivationCode

logger = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: 5 bits a symbol
SYMBOLS = 12  # 60 bits
GROUP = 4
ACTIVATION_DAYS = 30
LONGEST_TYPED = 64
ACTIVATION_FAILURE_LIMIT = 10
ACTIVATION_FAILURE_WINDOW = 3600  # seconds

_CANONICAL = re.compile(f"[{ALPHABET}]{{{SYMBOLS}}}")
# Spaces of every kind and the dashes a PDF viewer, a messenger or a word processor may type.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    """A fresh canonical code: 12 random Crockford base32 symbols (60 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))


def normalize(typed: str) -> str | None:
    """``typed`` as a canonical code, or None if it cannot be one: ``"k7qm 3xpd-9rta"`` gives
    ``"K7QM3XPD9RTA"``; ``O`` reads as ``0``, ``I`` and ``L`` as ``1``; full-width forms count."""
    if not typed or len(typed) > LONGEST_TYPED:
        return None
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper().translate(_READ_AS)
    return text if _CANONICAL.fullmatch(text) else None


def grouped(code: str) -> str:
    """A canonical code as printed: dash-joined groups of four."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def activation_lifetime() -> timedelta:
    return timedelta(days=int(getattr(settings, "ACTIVATION_CODE_DAYS", ACTIVATION_DAYS)))


def activation_url(code: str) -> str:
    """The link a code is shared as (and that its QR code holds)."""
    return settings.SITE_URL.rstrip("/") + reverse("activation:start_with_code", args=[grouped(code)])


def activation_address() -> str:
    """Where to type a code, as printed: host and path, no scheme."""
    url = settings.SITE_URL.rstrip("/") + reverse("activation:start")
    return url.split("://", 1)[-1]


@dataclass
class IssuedCode:
    """A code just made: the row, and the plain code (shown now, never stored)."""

    officer: Officer
    code: str
    expires_at: object

    @property
    def display(self) -> str:
        return grouped(self.code)

    @property
    def url(self) -> str:
        return activation_url(self.code)


class HasAccount(ValueError):
    """The officer has an account already: no code is made."""


def issue_codes(*, officers, by) -> list[IssuedCode]:
    """A fresh code for each officer without an account, superseding their open code (if any).

    One transaction: the old codes are superseded by one UPDATE and the new ones inserted by one
    INSERT, so a sheet of 1,000 officers costs a few queries. Officers with an account are left
    out. Two requests at once for one officer: one wins, the other's transaction fails on the
    one-open-code constraint and is retried once (its codes then supersede the winner's).
    """
    officers = [o for o in officers if o.user_id is None]
    for attempt in range(2):
        try:
            return _issue(officers, by)
        except IntegrityError:
            if attempt:
                raise
    return []  # unreachable


@transaction.atomic
def _issue(officers, by) -> list[IssuedCode]:
    now = timezone.now()
    expires_at = now + activation_lifetime()
    ids = [o.pk for o in officers]
    # Lock the officers (PostgreSQL) and drop any that got an account meanwhile.
    with_account = set()
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        with_account |= set(
            Officer.objects.select_for_update()
            .filter(pk__in=chunk, user__isnull=False)
            .values_list("pk", flat=True)
        )
        ActivationCode.objects.filter(
            officer_id__in=chunk, used_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
    issued, rows = [], []
    for officer in officers:
        if officer.pk in with_account:
            continue
        code = new_code()
        issued.append(IssuedCode(officer=officer, code=code, expires_at=expires_at))
        rows.append(
            ActivationCode(officer=officer, code_hash=code_hash(code), created_by=by, expires_at=expires_at)
        )
    ActivationCode.objects.bulk_create(rows, batch_size=500)
    return issued


def issue_code(*, officer, by) -> IssuedCode:
    """A fresh code (for a link) for one officer without an account; raises HasAccount."""
    issued = issue_codes(officers=[officer], by=by)
    if not issued:
        raise HasAccount
    return issued[0]


def sheet_inline_limit() -> int:
    """Sheets of more officers than this are printed by a worker, not in the request."""
    return int(getattr(settings, "ACTIVATION_SHEET_INLINE_LIMIT", 100))


def sheet_officers(user, unit, *, subtree: bool):
    """Officers in ``user``'s scope without an account, at ``unit`` (or in its subtree), by
    unit then name: the cards of an activation sheet. One query."""
    officers = Officer.objects.in_scope(user).filter(user__isnull=True).select_related("unit")
    officers = officers.filter(unit__path__startswith=unit.path) if subtree else officers.filter(unit=unit)
    return officers.order_by("unit__path", "sort_key", "id")


# --- Checking a typed code --------------------------------------------------------------------


class CodeProblem(ValueError):
    """Why a code cannot be used: ``reason`` is unknown, used, superseded or expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def find_code(typed: str) -> ActivationCode:
    """The activation code ``typed`` stands for, if it can still be used; raises CodeProblem
    saying why not (never whose it was)."""
    code = normalize(typed or "")
    row = (
        ActivationCode.objects.select_related("officer", "officer__unit")
        .filter(code_hash=code_hash(code))
        .first()
        if code
        else None
    )
    if row is None:
        raise CodeProblem("unknown")
    if row.used_at is not None or row.officer.user_id is not None:
        raise CodeProblem("used")
    if row.superseded_at is not None:
        raise CodeProblem("superseded")
    if row.expires_at <= timezone.now():
        raise CodeProblem("expired")
    return row


# --- Limits on failed attempts ----------------------------------------------------------------


def _key(kind: str, value) -> str:
    return f"activation-failures:{kind}:{value}"


def failures(*, address: str = "", officer_id: int | None = None) -> int:
    """The most failures counted this hour for the client address or the officer."""
    keys = [_key("address", address)] + ([_key("officer", officer_id)] if officer_id else [])
    counts = cache.get_many(keys)
    return max((int(v) for v in counts.values()), default=0)


def is_limited(*, address: str = "", officer_id: int | None = None) -> bool:
    return failures(address=address, officer_id=officer_id) >= ACTIVATION_FAILURE_LIMIT


def count_failure(*, address: str, officer_id: int | None = None) -> None:
    """Count a wrong code or a wrong date of birth, for an hour from the first one."""
    for key in [_key("address", address)] + ([_key("officer", officer_id)] if officer_id else []):
        cache.add(key, 0, ACTIVATION_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, ACTIVATION_FAILURE_WINDOW)


# --- Activating -------------------------------------------------------------------------------


class AlreadyActivated(ValueError):
    """The code was used (or the officer got an account) in the meantime: a repeated submit."""


def activate(*, code_id: int, password: str):
    """Create the officer's account with ``password``, link it and use the code; returns the user.

    One transaction; the code is claimed by a conditional UPDATE first, so of two submits (a
    double click, two tabs) exactly one creates an account and the other raises
    AlreadyActivated. No e-mail is needed: the username is made from the officer's name, as
    allauth makes usernames; an e-mail on the roster that no account uses is kept, unverified.
    """
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        claimed = ActivationCode.objects.filter(
            pk=code_id, used_at__isnull=True, superseded_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            raise AlreadyActivated
        code = ActivationCode.objects.get(pk=code_id)
        officer = Officer.objects.select_for_update().select_related("unit").get(pk=code.officer_id)
        if officer.user_id is not None:
            raise AlreadyActivated
        email = (officer.email or "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            email = ""
        last_name = " ".join(part for part in (officer.family_name, officer.middle_name) if part)
        user = User(first_name=officer.given_name[:150], last_name=last_name[:150], email=email)
        user.username = get_adapter().generate_unique_username(
            [officer.given_name, officer.family_name, email, "can-bo"]
        )
        user.set_password(password)
        user.save()
        if email:
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        officer.user = user
        officer.save(update_fields=["user"])
        ActivationCode.objects.filter(pk=code_id).update(user=user, unit=officer.unit)
    logger.info("Officer %s activated account %s at unit %s", officer.pk, user.pk, officer.unit.code)
    return user
