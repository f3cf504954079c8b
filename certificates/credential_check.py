"""Checking an Open Badges credential someone pastes or uploads at ``/verify/``.

Whatever comes in — a JWT, a JSON file, an unsigned credential, another issuer's badge, a
cut-off copy, random bytes — the answer is one of the ``Outcome`` values with a plain
sentence, never an exception. A credential passes when its signature verifies against a key
this site publishes (``credential_keys``), its claims agree with its content as OB 3.0's VC-JWT
rules require, its issuer is one of ours, and it names a certificate in the register; then the
certificate's own state (valid, revoked, superseded), the same one the status list publishes,
decides.
"""

import json
import re
import warnings
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from . import credential_keys, openbadges
from .models import Certificate

# A signed credential is a few kilobytes; anything much larger is not one of ours.
MAX_CREDENTIAL_BYTES = 64 * 1024
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


class Outcome:
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"  # genuine signature, but no such certificate in the register
    TAMPERED = "tampered"
    FOREIGN = "foreign"
    UNSIGNED = "unsigned"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    EMPTY = "empty"


MESSAGES = {
    Outcome.VALID: _("Genuine: signed by this site, and the certificate is valid."),
    Outcome.REVOKED: _("The signature is genuine, but the certificate was revoked and is no longer valid."),
    Outcome.SUPERSEDED: _(
        "The signature is genuine, but the certificate was replaced by a corrected one "
        "and is no longer valid."
    ),
    Outcome.UNKNOWN: _("The signature is genuine, but the register has no certificate for this credential."),
    Outcome.TAMPERED: _(
        "This credential was changed after it was signed, or its signature is not ours: it is not genuine."
    ),
    Outcome.FOREIGN: _(
        "This credential was not issued by this site, so it cannot be checked here. "
        "Check it with the organisation that issued it."
    ),
    Outcome.UNSIGNED: _(
        "This credential has no signature this site can check. Download the signed form (.jwt) "
        "from the certificate's verification page and check that."
    ),
    Outcome.MALFORMED: _(
        "This is not an Open Badges credential: paste the whole text of the .jwt file, or upload the file."
    ),
    Outcome.TOO_LARGE: _("The file is too large to be a credential (at most 64 KB)."),
    Outcome.EMPTY: _("Paste a credential or choose a file."),
}


@dataclass
class CheckResult:
    outcome: str
    certificate: Certificate | None = None

    @property
    def message(self) -> str:
        return str(MESSAGES[self.outcome])

    @property
    def genuine(self) -> bool:
        return self.outcome in (Outcome.VALID, Outcome.REVOKED, Outcome.SUPERSEDED, Outcome.UNKNOWN)


def check_credential(data: bytes | str) -> CheckResult:
    """What ``data`` (a compact JWS, a JSON file holding one, or a JSON credential) is. Never raises
    for bad input; reads the published keys and at most one certificate."""
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    if len(data) > MAX_CREDENTIAL_BYTES:
        return CheckResult(Outcome.TOO_LARGE)
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return CheckResult(Outcome.MALFORMED)
    if not text:
        return CheckResult(Outcome.EMPTY)
    if text[0] in '{["':
        try:
            document = json.loads(text)
        except ValueError:
            return CheckResult(Outcome.MALFORMED)
        if isinstance(document, str):  # a JWT saved as a JSON string
            text = document.strip()
        else:
            return _unsigned_document(document)
    if not _COMPACT_JWS.match(text):
        return CheckResult(Outcome.MALFORMED)
    return _check_token(text)


def _unsigned_document(document) -> CheckResult:
    if isinstance(document, dict) and "VerifiableCredential" in (document.get("type") or []):
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        return CheckResult(Outcome.UNSIGNED if _is_ours(issuer_id) else Outcome.FOREIGN)
    return CheckResult(Outcome.MALFORMED)


def _issuer_prefix() -> str:
    return openbadges.issuer_id("X")[:-1]


def _is_ours(issuer_id) -> bool:
    return isinstance(issuer_id, str) and issuer_id.startswith(_issuer_prefix())


def _check_token(token: str) -> CheckResult:
    try:
        header, claims = openbadges.decode_jwt(token)
    except (ValueError, UnicodeDecodeError):
        return CheckResult(Outcome.MALFORMED)
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return CheckResult(Outcome.MALFORMED)
    ours = {key.key_uri: key for key in credential_keys.list_keys()}
    if header.get("kid") not in ours:
        # Not one of our keys: someone else's badge, unless it claims to be ours (a forgery).
        return CheckResult(Outcome.TAMPERED if _is_ours(claims.get("iss")) else Outcome.FOREIGN)
    if header.get("alg") != openbadges.ALGORITHM or not _signature_holds(token, ours[header["kid"]]):
        return CheckResult(Outcome.TAMPERED)
    if not _claims_agree(claims):
        return CheckResult(Outcome.TAMPERED)
    certificate = _certificate_for(claims)
    if certificate is None:
        return CheckResult(Outcome.UNKNOWN)
    if certificate.revoked_at:
        return CheckResult(Outcome.REVOKED, certificate)
    if certificate.superseded_at:
        return CheckResult(Outcome.SUPERSEDED, certificate)
    return CheckResult(Outcome.VALID, certificate)


def _signature_holds(token: str, key) -> bool:
    from joserfc import jws
    from joserfc.errors import JoseError

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="EdDSA is deprecated")
            jws.deserialize_compact(token, key.private_key(), algorithms=[openbadges.ALGORITHM])
    except (JoseError, ValueError):
        return False
    return True


def _claims_agree(claims: dict) -> bool:
    """OB 3.0's VC-JWT checks: iss, jti, sub and nbf equal the credential's issuer, id, subject and
    validFrom; and it is an OpenBadgeCredential of one of our issuers."""
    try:
        issuer = claims["issuer"]
        issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
        valid_from = datetime.fromisoformat(claims["validFrom"])
        return (
            "OpenBadgeCredential" in claims["type"]
            and claims["iss"] == issuer_id
            and _is_ours(issuer_id)
            and claims["jti"] == claims["id"]
            and claims["sub"] == claims["credentialSubject"]["id"]
            and claims["nbf"] == int(valid_from.timestamp())
        )
    except (KeyError, TypeError, ValueError):
        return False


def _certificate_for(claims: dict) -> Certificate | None:
    """The certificate the credential stands for: its status list position (unique), confirmed by
    the credential's id (which holds the verification code)."""
    try:
        status = claims["credentialStatus"]
        position = int(status["statusListIndex"])
        number = int(status["statusListCredential"].rstrip("/").rsplit("/", 1)[-1])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    certificate = Certificate.objects.filter(status_list=number, status_index=position).first()
    if certificate is None or openbadges.credential_id(certificate) != claims.get("id"):
        return None
    return certificate
