"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (W3C Verifiable Credentials 2.0),
signed as a VC-JWT with EdDSA (Ed25519), and the Bitstring Status List that publishes
revocation and supersession.

The credential is built from the certificate's row only (its snapshot fields), so the same
certificate always gives the same document. It says what the certificate prints that a
verifier needs — the training (name, hours, criteria), the recipient's name as printed, the
issuing union, the issue date, the number — and nothing it does not: no date of birth, phone
or e-mail. The recipient's ``id`` is the certificate's verification page with a fragment.

The signed form is made once (``ensure_signed``) and kept on the row, so the JWT embedded in
the PDF, the one served at ``/verify/<code>/openbadge.jwt`` and any copy in a wallet are the
same bytes, whatever keys were rotated since. Signing and checking use joserfc; the tests
check our signatures with PyJWT, an independent implementation.
"""

import base64
import gzip
import json
import uuid
import warnings
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse

from . import credential_keys
from .models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
ALGORITHM = "EdDSA"
# One list of the minimum size the Bitstring Status List spec allows (16 KiB): room for
# 131,072 certificates, decades at the city's rate. A later list would be /credentials/status/2.
STATUS_LIST_BITS = 131_072
STATUS_LIST = 1
STATUS_PURPOSE = "revocation"
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def _absolute(path: str) -> str:
    return _site() + path


def issuer_id(issuer_code: str) -> str:
    """The issuing union's profile address (served by ``credential_views.issuer_profile``)."""
    return _absolute(reverse("credentials:issuer", args=[issuer_code]))


def status_list_url(number: int = STATUS_LIST) -> str:
    return _absolute(reverse("credentials:status_list", args=[number]))


def credential_id(certificate: Certificate) -> str:
    return _absolute(reverse("verify:openbadge_json", args=[certificate.verification_code_display]))


def _local_midnight(day) -> str:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).isoformat()


def _hours(certificate: Certificate) -> str:
    return f"{certificate.hours.normalize():f}"


def achievement_id(certificate: Certificate) -> str:
    """The training as an achievement: the same id for every certificate of the same training
    by the same issuer (a name-based UUID, so it needs no table of its own)."""
    name = f"{issuer_id(certificate.issuer_code)}#{certificate.training_title}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def issuer_profile(issuer_code: str, issuer_name: str) -> dict:
    return {"id": issuer_id(issuer_code), "type": ["Profile"], "name": issuer_name, "url": _site() + "/"}


def build_credential(certificate: Certificate) -> dict:
    """The certificate's OpenBadgeCredential, unsigned. Deterministic: reads the row only.

    Needs the certificate's status list position (``assign_status_index``)."""
    if certificate.status_index is None:
        raise ValueError("The certificate has no status list position yet.")
    verify_page = certificate.verification_url()
    hours = _hours(certificate)
    period = (
        certificate.training_end.strftime("%d/%m/%Y")
        if certificate.training_start == certificate.training_end
        else f"{certificate.training_start:%d/%m/%Y} – {certificate.training_end:%d/%m/%Y}"
    )
    list_url = status_list_url(certificate.status_list)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Giấy chứng nhận: {certificate.training_title}",
        "description": f"Giấy chứng nhận số {certificate.number_display}, cấp cho {certificate.full_name}.",
        "issuer": issuer_profile(certificate.issuer_code, certificate.issuer_name),
        "validFrom": _local_midnight(certificate.issued_on),
        "credentialSubject": {
            "id": verify_page + "#recipient",
            "type": ["AchievementSubject"],
            "identifier": [
                # The name as printed on the certificate (not hashed: the certificate shows it).
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.full_name,
                }
            ],
            "activityStartDate": _local_midnight(certificate.training_start),
            "activityEndDate": _local_midnight(certificate.training_end),
            "creditsEarned": float(certificate.hours),
            "licenseNumber": certificate.number_display,
            "achievement": {
                "id": achievement_id(certificate),
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": certificate.training_title,
                "description": f"{certificate.training_title} ({hours} giờ, {period}).",
                "criteria": {
                    "narrative": (
                        f"Hoàn thành chương trình bồi dưỡng “{certificate.training_title}” "
                        f"({hours} giờ, {period}) do {certificate.issuer_name} tổ chức hoặc công nhận."
                    )
                },
                "creditsAvailable": float(certificate.hours),
                "inLanguage": "vi",
            },
        },
        "credentialStatus": {
            "id": f"{list_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def _claims(credential: dict) -> dict:
    """The VC-JWT payload (OB 3.0 §8.2): the credential itself plus iss, jti, nbf and sub."""
    valid_from = datetime.fromisoformat(credential["validFrom"])
    return credential | {
        "iss": credential["issuer"]["id"] if isinstance(credential["issuer"], dict) else credential["issuer"],
        "jti": credential["id"],
        "nbf": int(valid_from.timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }


def sign(credential: dict) -> str:
    """The credential as a compact JWS signed with the active key (``kid`` names it)."""
    from joserfc import jwt

    key = credential_keys.active_key()
    header = {"alg": ALGORITHM, "kid": key.key_uri, "typ": "JWT"}
    with warnings.catch_warnings():
        # joserfc prefers RFC 9864's "Ed25519" name; "EdDSA" is what OB 3.0 verifiers and PyJWT read.
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        return jwt.encode(header, _claims(credential), key.private_key(), algorithms=[ALGORITHM])


def assign_status_index(certificate: Certificate) -> Certificate:
    """Give the certificate its fixed position in the status list, once.

    Positions are taken in order (the next after the highest taken); two workers taking the
    same one at once meet the unique constraint, and the loser takes the next. A certificate
    that has one keeps it (the update only touches a row without one). Revocation is public
    on the verification page anyway, so sequential positions give nothing away.
    """
    for _attempt in range(50):
        if certificate.status_index is not None:
            return certificate
        taken = Certificate.objects.filter(status_list=STATUS_LIST).aggregate(top=Max("status_index"))["top"]
        position = 0 if taken is None else taken + 1
        if position >= STATUS_LIST_BITS:
            raise RuntimeError("The status list is full: add a second list.")
        try:
            with transaction.atomic():
                Certificate.objects.filter(pk=certificate.pk, status_index__isnull=True).update(
                    status_list=STATUS_LIST, status_index=position
                )
        except IntegrityError:
            pass  # someone took this position first: read again and take the next
        certificate.refresh_from_db(fields=["status_list", "status_index"])
    raise RuntimeError("Could not take a status list position.")


def ensure_signed(certificate: Certificate) -> str:
    """The certificate's signed credential: signed once and kept on the row (the first stored
    wins, so racing workers end with the same JWT in the PDF and in the database)."""
    if certificate.credential_jwt:
        return certificate.credential_jwt
    assign_status_index(certificate)
    token = sign(build_credential(certificate))
    Certificate.objects.filter(pk=certificate.pk, credential_jwt="").update(credential_jwt=token)
    certificate.refresh_from_db(fields=["credential_jwt"])
    return certificate.credential_jwt


# --- The status list ---------------------------------------------------------------------

_invalid = Q(revoked_at__isnull=False) | Q(superseded_at__isnull=False)


def encode_bits(positions) -> str:
    """Positions set to 1 in a 131,072-bit list, GZIP-compressed, base64url, multibase ``u``.
    Bit 0 is the most significant bit of the first byte (the spec's order)."""
    bits = bytearray(STATUS_LIST_BITS // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0: the same list compresses to the same bytes.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not a multibase base64url value")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits: bytes, position: int) -> bool:
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_credential(number: int = STATUS_LIST) -> dict:
    """The list of revoked or superseded certificates as a BitstringStatusListCredential.

    Read from the certificates themselves (one query), so it is current the moment a revocation
    or reissue commits; its ``validFrom`` is the last such change, so an unchanged list is the
    same document (and the same signed bytes) on every request.
    """
    rows = Certificate.objects.filter(_invalid, status_list=number, status_index__isnull=False).values_list(
        "status_index", "revoked_at", "superseded_at"
    )
    positions, changed = [], None
    for position, revoked_at, superseded_at in rows:
        positions.append(position)
        for moment in (revoked_at, superseded_at):
            if moment is not None and (changed is None or moment > changed):
                changed = moment
    url = status_list_url(number)
    since = (changed or datetime(2026, 1, 1, tzinfo=LOCAL_TZ)).replace(microsecond=0)
    from .numbering import CITY_ISSUER_CODE

    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(CITY_ISSUER_CODE),
        "validFrom": since.isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": encode_bits(positions),
        },
    }


def signed_status_list(number: int = STATUS_LIST) -> str:
    return sign(status_list_credential(number))


def decode_jwt(token: str) -> tuple[dict, dict]:
    """The header and claims of a compact JWS, signature NOT checked (``check`` does that)."""
    header_part, payload_part, _signature = token.split(".")

    def part(text):
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

    return part(header_part), part(payload_part)
