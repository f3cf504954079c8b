"""/verify/ checks an Open Badges credential pasted or uploaded: a genuine one shows the
certificate and its state; a tampered, foreign, unsigned, garbled or oversized one is reported
in a plain sentence on the page, never as an error page."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from joserfc import jwt
from joserfc.jwk import OKPKey

from certificates import issuing

CHECK_URL = "/verify/credential/"


def signed_jwt(client, certificate) -> str:
    return client.get(f"/verify/{certificate.verification_code_display}/openbadge.jwt").content.decode()


def upload(client, content: bytes, name="openbadge.jwt"):
    return client.post(CHECK_URL, {"file": SimpleUploadedFile(name, content)})


def result_text(response) -> str:
    return response.content.decode()


def test_a_genuine_uploaded_credential_shows_its_certificate(issued, client):
    response = upload(client, signed_jwt(client, issued).encode())
    assert response.status_code == 200
    text = result_text(response)
    assert 'id="credential-result"' in text and "badge--ok" in text
    assert "Chứng chỉ số là thật" in text
    assert issued.number_display in text and "Nguyễn Thị Mai" in text
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_pasted_credential_works_too_and_a_revoked_one_says_so(issued, client, auditor):
    token = signed_jwt(client, issued)
    assert "badge--ok" in result_text(client.post(CHECK_URL, {"credential": f"  {token}\n"}))
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Sai hồ sơ")
    response = client.post(CHECK_URL, {"credential": token})
    assert response.status_code == 200
    assert "badge--warn" in result_text(response) and "đã bị thu hồi" in result_text(response)


def test_a_tampered_credential_is_not_genuine(issued, client):
    header, payload, signature = signed_jwt(client, issued).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["achievement"]["name"] = "Khóa học không có thật"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    response = upload(client, f"{header}.{forged}.{signature}".encode())
    assert response.status_code == 422
    text = result_text(response)
    assert "badge--bad" in text and "đã bị sửa sau khi ký" in text
    assert issued.number_display not in text


def test_a_credential_of_another_issuer_is_reported_as_foreign(issued, client):
    other_key = OKPKey.generate_key("Ed25519", parameters={"kid": "https://badges.example.org/keys#1"})
    claims = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://badges.example.org/c/1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://badges.example.org/issuer", "type": ["Profile"], "name": "Khác"},
        "iss": "https://badges.example.org/issuer",
    }
    header = {"alg": "EdDSA", "kid": "https://badges.example.org/keys#1"}
    token = jwt.encode(header, claims, other_key, algorithms=["EdDSA"])
    response = upload(client, token.encode())
    assert response.status_code == 422
    assert "không do trang này cấp" in result_text(response)


def test_a_forgery_claiming_to_be_ours_with_another_key_is_not_genuine(issued, client):
    _header, payload, _signature = signed_jwt(client, issued).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    impostor = OKPKey.generate_key("Ed25519")
    header = {"alg": "EdDSA", "kid": "https://hoctap.example.vn/.well-known/jwks.json#20260101-deadbeef"}
    token = jwt.encode(header, claims, impostor, algorithms=["EdDSA"])
    assert "đã bị sửa sau khi ký" in result_text(upload(client, token.encode()))


def test_an_unsigned_json_credential_is_reported_as_unsigned(issued, client):
    document = client.get(f"/verify/{issued.verification_code_display}/openbadge.json").content
    response = upload(client, document, name="openbadge.json")
    assert response.status_code == 422
    assert "không có chữ ký để kiểm tra" in result_text(response)


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"not a credential at all",
        b"{broken json",
        b"[1, 2, 3]",
        b"a.b.c",
        b"eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln",
        "Giấy chứng nhận".encode(),
    ],
)
def test_garbage_is_reported_plainly(db, client, garbage):
    response = upload(client, garbage)
    assert response.status_code == 422
    assert "Đây không phải chứng chỉ số Open Badges" in result_text(response)


def test_too_large_is_refused_before_reading_it(db, client):
    response = upload(client, b"x" * (64 * 1024 + 1))
    assert response.status_code == 413
    assert "Tệp quá lớn" in result_text(response)
    response = client.post(CHECK_URL, {"credential": "y" * (64 * 1024 + 10)})
    assert response.status_code == 413


def test_nothing_given_asks_for_a_credential(db, client):
    response = client.post(CHECK_URL, {})
    assert response.status_code == 200
    assert "Hãy dán chứng chỉ số hoặc chọn tệp" in result_text(response)


def test_the_verify_page_offers_the_digital_certificate(issued, client):
    page = client.get(f"/verify/{issued.verification_code_display}/")
    text = page.content.decode()
    assert f"/verify/{issued.verification_code_display}/openbadge.jwt" in text
    assert f"/verify/{issued.verification_code_display}/openbadge.json" in text
    assert "Tải chứng chỉ số (Open Badges 3.0)" in text
    form = client.get("/verify/").content.decode()
    assert 'action="/verify/credential/"' in form and 'type="file"' in form
