"""Password reset codes for officers who sign in with their phone and have no e-mail.

A unit manager (or an auditor) issues a code from the officer's roster page, hands it over on
paper or reads it out; the officer types their phone number, the code and a new password at
``/quen-mat-khau/ma/``. A code is 8 symbols of Crockford's base32 (digits and capitals without
I, L, O, U, so nothing looks or sounds alike), shown in two groups: ``7KQ2-M9XD`` — 40 random
bits, enough for a code tied to one phone number, valid a day, and tried at most 10 times an hour
per number and per client address. It is stored only as a keyed hash (HMAC with SECRET_KEY and
the officer's id), single-use; a new code for the same officer replaces the old one.

``issue_reset_code`` is the one way to make a code: the SMS channel of the notifications layer
will send the same code when it is wired in (docs/architecture.md).
"""

import re
import secrets
import unicodedata
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.phones import InvalidPhone, normalise_phone
from notifications import channels
from notifications.models import MessageKind
from notifications.services import send
from organizations.models import Officer

from .models import PasswordResetCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
SYMBOLS = 8
GROUP = 4
VALID_FOR = timedelta(hours=24)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


class NoAccount(Exception):
    """The officer has no account yet: there is no password to reset (activate it instead)."""


class CodeRefused(Exception):
    """A typed code that cannot be used; ``message`` says why without saying whose it was."""

    WRONG = "wrong"
    USED = "used"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"

    MESSAGES = {
        WRONG: _(
            "This phone number and code do not go together. Check both; the code has 8 letters "
            "and digits, as on the paper your unit manager gave you."
        ),
        USED: _("This code has already been used. Ask your unit manager for a new one."),
        EXPIRED: _(
            "This code has expired (a code is valid for 24 hours). Ask your unit manager for a new one."
        ),
        SUPERSEDED: _(
            "A newer code was issued after this one, so this one no longer works. Use the newest "
            "code, or ask your unit manager for a new one."
        ),
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason])


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))


def display_code(code: str) -> str:
    """``7KQ2M9XD`` as printed and read out: ``7KQ2-M9XD``."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def canonical(typed: str) -> str | None:
    """A typed code as stored (any case, spaces and dashes anywhere, I/L read as 1, O as 0), or
    None when it cannot be a code."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed or "")[:40]).upper().translate(_READ_AS)
    if len(text) != SYMBOLS or any(symbol not in ALPHABET for symbol in text):
        return None
    return text


def _hash(officer_id: int, code: str) -> str:
    return salted_hmac("accounts.reset_codes", f"{officer_id}:{code}", algorithm="sha256").hexdigest()


def issue_reset_code(officer: Officer, *, issued_by) -> str:
    """A new reset code for ``officer``, printed form (``7KQ2-M9XD``); the plain code exists only
    in the return value. Any earlier unused code of the officer stops working. One transaction;
    the row made records who issued it, for whom and when.

    Raises ``NoAccount`` for an officer without an account. Callers check scope first.
    """
    if officer.user_id is None:
        raise NoAccount
    now = timezone.now()
    with transaction.atomic():
        # One issuer at a time per officer: two managers clicking at once leave one live code.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        PasswordResetCode.objects.filter(
            officer=officer, used_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
        code = new_code()
        PasswordResetCode.objects.create(
            officer=officer, code_hash=_hash(officer.pk, code), issued_by=issued_by, created_at=now
        )
    return display_code(code)


def find_reset_code(phone: str, typed_code: str) -> PasswordResetCode:
    """The usable code ``typed_code`` stands for, given with the account's ``phone``; raises
    ``CodeRefused`` saying wrong, used, expired or superseded. Two queries."""
    try:
        number = normalise_phone(phone)
    except InvalidPhone:
        raise CodeRefused(CodeRefused.WRONG) from None
    code = canonical(typed_code)
    officer = (
        Officer.objects.filter(phone=number, user__isnull=False).only("pk").first()
        if number and code
        else None
    )
    if officer is None:
        raise CodeRefused(CodeRefused.WRONG)
    row = (
        PasswordResetCode.objects.select_related("officer__user")
        .filter(officer=officer, code_hash=_hash(officer.pk, code))
        .first()
    )
    if row is None:
        raise CodeRefused(CodeRefused.WRONG)
    if row.used_at is not None:
        raise CodeRefused(CodeRefused.USED)
    if row.superseded_at is not None:
        raise CodeRefused(CodeRefused.SUPERSEDED)
    if row.is_expired:
        raise CodeRefused(CodeRefused.EXPIRED)
    return row


def check_new_password(row: PasswordResetCode, password: str) -> None:
    """Django's password rules for the code's account (ValidationError when broken)."""
    validate_password(password, user=row.officer.user)


def reset_password_with_code(row: PasswordResetCode, password: str):
    """Use the code (once: a second use, even at the same moment, is refused) and set the
    account's password. Returns the user. One transaction."""
    now = timezone.now()
    with transaction.atomic():
        used = PasswordResetCode.objects.filter(
            pk=row.pk, used_at__isnull=True, superseded_at__isnull=True, created_at__gt=now - VALID_FOR
        ).update(used_at=now)
        if used != 1:
            row.refresh_from_db()
            if row.used_at is not None:
                raise CodeRefused(CodeRefused.USED)
            raise CodeRefused(CodeRefused.SUPERSEDED if row.superseded_at else CodeRefused.EXPIRED)
        user = row.officer.user
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


SMS_RESEND_SECONDS = 60  # a double click or a reload sends one SMS, not two


def sms_is_available() -> bool:
    """Whether officers may ask for their code by SMS: an SMS gateway (or, in ``make run``, the
    console) is set up in the notifications layer."""
    return channels.configured("sms", "reset_code")


def send_reset_code_by_sms(phone: str) -> bool:
    """Issue a code for the officer whose account signs in with ``phone`` and send it to that
    number by SMS; True if one was sent. A number with no account, or one sent a code less than
    ``SMS_RESEND_SECONDS`` ago, sends nothing — callers answer alike either way, so the page
    does not tell whose number it is.
    """
    officer = (
        Officer.objects.select_related("user")
        .filter(phone=phone, user__isnull=False, user__is_active=True)
        .first()
    )
    if officer is None or not cache.add(f"reset-code:sms:{officer.pk}", 1, timeout=SMS_RESEND_SECONDS):
        return False
    code = issue_reset_code(officer, issued_by=None)
    send(
        MessageKind.RESET_CODE,
        officer=officer,
        only=["sms"],
        subject=_("Your password reset code"),
        body=_("Your password reset code is %(code)s, valid for 24 hours.") % {"code": code},
        params={"code": code},
        retries=False,  # a code is worth something for minutes; the officer asks again instead
    )
    return True
