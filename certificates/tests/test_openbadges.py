"""Certificates as Open Badges 3.0 credentials: the document (1EdTech's schema, no private data,
deterministic), its VC-JWT signature checked with PyJWT (independent of joserfc, which signs),
the published keys across a rotation, and the Bitstring Status List flipping on revocation and
reissue."""

import base64
import json
import stat
from pathlib import Path

import jsonschema
import jwt as pyjwt
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates import credential_keys, issuing, openbadges
from certificates.models import Certificate

from .conftest import pass_course

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
JWT_CLAIMS = {"iss", "jti", "nbf", "sub"}


def served_jwt(client, certificate) -> str:
    response = client.get(f"/verify/{certificate.verification_code_display}/openbadge.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def verify_independently(client, token: str) -> dict:
    """PyJWT + cryptography, with the key found in the published JWKS by the token's kid."""
    jwks = client.get("/.well-known/jwks.json").json()
    kid = pyjwt.get_unverified_header(token)["kid"]
    (jwk,) = [key for key in jwks["keys"] if key["kid"] == kid]
    assert "d" not in jwk  # never a private key
    return pyjwt.decode(token, pyjwt.PyJWK(jwk).key, algorithms=["EdDSA"])


def status_bits(client) -> bytes:
    response = client.get("/credentials/status/1")
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    status_list = verify_independently(client, response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == "revocation" and subject["encodedList"].startswith("u")
    bits = openbadges.decode_bits(subject["encodedList"])
    assert len(bits) * 8 >= 131_072
    return bits


def bit(bits: bytes, position: int) -> int:
    return (bits[position // 8] >> (7 - position % 8)) & 1


def test_the_credential_validates_against_the_1edtech_schema(issued, client):
    claims = verify_independently(client, served_jwt(client, issued))
    credential = {name: value for name, value in claims.items() if name not in JWT_CLAIMS}
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
    assert sorted(error.message for error in validator.iter_errors(credential)) == []
    # A document missing what the schema requires fails, so the check above has teeth.
    broken = dict(credential, credentialSubject={"type": ["AchievementSubject"]})
    assert not validator.is_valid(broken)


def test_the_credential_says_what_the_certificate_prints_and_nothing_private(issued, client):
    response = client.get(f"/verify/{issued.verification_code_display}/openbadge.json")
    assert response.status_code == 200
    credential = response.json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["issuer"]["name"] == issued.issuer_name
    assert credential["validFrom"].startswith(issued.issued_on.isoformat())
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Mai"
    assert subject["licenseNumber"] == issued.number_display
    assert subject["achievement"]["name"] == issued.training_title
    assert "8 giờ" in subject["achievement"]["criteria"]["narrative"]
    text = response.content.decode()
    assert "1992" not in text and "14/05" not in text  # the date of birth, in no form
    assert issued.officer.user.email not in text


def test_the_same_certificate_gives_the_same_document(issued, client):
    issued.refresh_from_db()
    assert openbadges.build_credential(issued) == openbadges.build_credential(
        Certificate.objects.get(pk=issued.pk)
    )
    # The JSON served is the signed credential's content; both stay the same over requests.
    served = client.get(f"/verify/{issued.verification_code_display}/openbadge.json").json()
    claims = verify_independently(client, served_jwt(client, issued))
    assert served == {name: value for name, value in claims.items() if name not in JWT_CLAIMS}
    assert served == openbadges.build_credential(issued)
    assert served_jwt(client, issued) == issued.credential_jwt


def test_the_vc_jwt_claims_follow_ob3(issued, client):
    token = served_jwt(client, issued)
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    assert header["kid"].startswith("https://hoctap.example.vn/.well-known/jwks.json#")
    claims = verify_independently(client, token)
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]
    assert claims["sub"] == claims["credentialSubject"]["id"]


def test_a_tampered_credential_fails_verification(issued, client):
    token = served_jwt(client, issued)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Trần Văn Giả"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_independently(client, f"{header}.{forged}.{signature}")


def test_after_a_key_rotation_old_credentials_still_verify(issued, learner_officer, client):
    old_token = served_jwt(client, issued)
    call_command("credential_keys", "rotate")
    new = issuing.reissue_certificate(certificate=issued, by=None, reason="Sửa tên")
    from certificates.services import render_and_store

    render_and_store(new.pk)
    new.refresh_from_db()
    new_token = served_jwt(client, new)
    assert pyjwt.get_unverified_header(old_token)["kid"] != pyjwt.get_unverified_header(new_token)["kid"]
    assert len(client.get("/.well-known/jwks.json").json()["keys"]) == 2
    assert verify_independently(client, old_token)["id"].endswith("/openbadge.json")
    assert verify_independently(client, new_token)["credentialSubject"]["licenseNumber"] == new.number_display
    # The old certificate's credential is the one it was given, not re-signed with the new key.
    assert served_jwt(client, issued) == old_token


def test_revoking_flips_the_status_bit(issued, auditor, client):
    issued.refresh_from_db()
    position = int(issued.status_index)
    assert bit(status_bits(client), position) == 0
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    bits = status_bits(client)
    assert bit(bits, position) == 1
    assert sum(bin(byte).count("1") for byte in bits) == 1


def test_a_reissue_sets_the_old_certificates_bit_and_not_the_new_ones(issued, auditor, client, eager_tasks):
    new = issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sửa tên đơn vị")
    from certificates.services import render_and_store

    render_and_store(new.pk)
    issued.refresh_from_db()
    new.refresh_from_db()
    assert new.status_index != issued.status_index
    bits = status_bits(client)
    assert bit(bits, issued.status_index) == 1
    assert bit(bits, new.status_index) == 0


def test_status_positions_are_taken_once_and_a_taken_one_is_skipped(
    learner_officer, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = pass_course(learner_officer, title="Khóa một")
        second = pass_course(learner_officer, title="Khóa hai")
    first, second = first.certificates.get(), second.certificates.get()
    openbadges.assign_status_index(first)
    assert first.status_index == 0
    # A racing worker read the same "highest" position: the unique constraint stops the second
    # writer, which then takes the next one.
    real = openbadges.Max
    calls = []

    def stale_max(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs) if len(calls) > 1 else real("pk", filter=openbadges.Q(pk=-1))

    monkeypatch.setattr(openbadges, "Max", stale_max)
    openbadges.assign_status_index(second)
    assert second.status_index == 1 and len(calls) == 2
    # Asked again, a certificate keeps its position.
    openbadges.assign_status_index(second)
    assert Certificate.objects.get(pk=second.pk).status_index == 1


def test_credential_keys_create_rotate_list(settings, capsys):
    call_command("credential_keys", "list")
    assert "No keys" in capsys.readouterr().out
    call_command("credential_keys", "create")
    (key,) = credential_keys.list_keys()
    assert key.active and stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.path.read_bytes()
    with pytest.raises(CommandError, match="already active"):
        call_command("credential_keys", "create")
    call_command("credential_keys", "create", "--if-missing")
    call_command("credential_keys", "rotate")
    keys = credential_keys.list_keys()
    assert len(keys) == 2 and [k.active for k in keys].count(True) == 1
    assert next(k for k in keys if k.active).kid != key.kid
    call_command("credential_keys", "list")
    out = capsys.readouterr().out
    assert "active" in out and "retired" in out and key.kid in out


def test_without_a_key_production_refuses_to_sign(settings, learner_officer):
    settings.CREDENTIAL_KEYS_AUTO_CREATE = False
    with pytest.raises(credential_keys.NoCredentialKey, match="credential_keys create"):
        credential_keys.active_key()
