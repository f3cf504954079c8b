"""Verification codes people can type: Crockford base32, 80 bits, printed in groups; typed
in any case, with spaces and dashes, I/L for 1 and O for 0; older codes keep verifying."""

import io
import math
import re
import shutil
import subprocess
import unicodedata
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from certificates import codes, numbering, services
from certificates.models import Certificate

from .conftest import pass_course

GROUPED = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}")
# A code with a 1 and a 0 in it, to be typed with I, L and O.
KNOWN = "7KQ2M9XD4TGHB1Z0"
# The example: an older code, printed on a PDF that never changes.
OLD = "hZ2t2X_ndwtq-VlA"


def with_code(certificate, code: str):
    Certificate.objects.filter(pk=certificate.pk).update(verification_code=code)
    certificate.refresh_from_db()
    return certificate


def test_new_codes_are_16_crockford_symbols_carrying_80_random_bits(db):
    made = [numbering.new_verification_code() for _ in range(500)]
    assert len(set(made)) == 500
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", code) for code in made)
    assert not set("ILOU") & set("".join(made))
    assert len(codes.ALPHABET) == 32 and len(set(codes.ALPHABET)) == 32
    assert math.log2(len(codes.ALPHABET)) * codes.SYMBOLS >= 80
    assert set("".join(made)) == set(codes.ALPHABET)  # 8,000 symbols: every one of the 32 is drawn


def test_a_new_certificate_gets_a_new_code_printed_in_groups(issued):
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{16}", issued.verification_code)  # stored canonical
    assert GROUPED.fullmatch(issued.verification_code_display)
    assert issued.verification_code_display.replace("-", "") == issued.verification_code


def _typed_forms(draw, code: str) -> str:
    """``code`` as someone may type it: any case, I or L for 1, O for 0, spaces and dashes."""
    out = []
    for index, symbol in enumerate(code):
        if index and draw(st.booleans()):
            out.append(draw(st.sampled_from([" ", "-", "  ", " - ", "\u2013", "\u00a0"])))
        if symbol == "1":
            symbol = draw(st.sampled_from("1IiLl"))
        elif symbol == "0":
            symbol = draw(st.sampled_from("0Oo"))
        out.append(symbol.lower() if draw(st.booleans()) else symbol)
    return " " * draw(st.integers(0, 2)) + "".join(out) + " " * draw(st.integers(0, 2))


@st.composite
def typed_code(draw):
    code = "".join(draw(st.lists(st.sampled_from(codes.ALPHABET), min_size=16, max_size=16)))
    return code, _typed_forms(draw, code)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_code())
def test_any_way_of_typing_a_code_reads_as_that_code(case):
    code, typed = case
    assert codes.canonical(typed) == code
    assert codes.lookup_candidates(typed)[0] == code


@pytest.mark.parametrize(
    "not_a_code",
    ["7KQ2M9XD4TGHB1ZU", "7KQ2M9XD4TGHB1Z", "7KQ2M9XD4TGHB1Z00", "7KQ2_M9XD_4TGH_B1Z0", "mã có dấu", ""],
)
def test_what_cannot_be_a_new_code_is_not_read_as_one(not_a_code):
    assert codes.canonical(not_a_code) is None  # U is no symbol; 15 or 17 symbols; underscores


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ2-M9XD-4TGH-B1Z0",  # as printed
        "7kq2-m9xd-4tgh-b1z0",  # lower case
        "7KQ2 M9XD 4TGH B1Z0",  # spaces instead of dashes
        "7kq2m9xd4tghblzo",  # l for 1, o for 0, no groups
        "7KQ2-M9XD-4TGH-BIZO",  # I for 1, O for 0
        " 7kq2 - m9xd – 4tgh - b1z0 ",  # an en dash, as a word processor makes it
    ],
)
def test_a_printed_code_typed_from_paper_opens_its_certificate(client, issued, typed):
    with_code(issued, KNOWN)
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == "/verify/7KQ2-M9XD-4TGH-B1Z0/"
    html = client.get(response["Location"]).content.decode()
    assert issued.number_display in html and "Còn hiệu lực" in html
    assert "7KQ2-M9XD-4TGH-B1Z0" in html
    # The address itself takes the same forms (people type it in the browser's address bar).
    response = client.get(f"/verify/{typed.strip()}/")
    assert response.status_code == 200
    assert issued.number_display in response.content.decode()


def test_a_code_with_a_u_or_one_symbol_wrong_is_not_found(client, issued):
    with_code(issued, KNOWN)
    for wrong in ("7KQ2-M9XD-4TGH-BUZ0", "7KQ2-M9XD-4TGH-B1Z8", "7KQ2-M9XD-4TGH-B1Z"):
        response = client.get(f"/verify/{wrong}/")
        assert response.status_code == 404
        assert "Không có giấy chứng nhận nào mang mã xác thực này" in response.content.decode()


def test_an_older_code_keeps_verifying_exactly_as_printed(client, issued):
    with_code(issued, OLD)
    assert issued.verification_code_display == OLD  # shown as printed: not grouped, not uppercased
    response = client.get(f"/verify/{OLD}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert issued.number_display in html and OLD in html
    response = client.get("/verify/", {"code": f" {OLD} "})
    assert response["Location"] == f"/verify/{OLD}/"
    # Still case-sensitive, as it always was: another case is another code.
    for other in ("hz2t2x_ndwtq-vla", "HZ2T2X_NDWTQ-VLA", "hZ2t2X_ndwtq-VIA"):
        assert client.get(f"/verify/{other}/").status_code == 404
    assert issued.verification_url() == f"https://hoctap.example.vn/verify/{OLD}/"


def test_the_register_finds_a_certificate_by_its_code_typed_in_any_form(client, auditor, issued):
    with_code(issued, KNOWN)
    client.force_login(auditor)
    for typed in ("7kq2 m9xd 4tgh blzo", "7KQ2-M9XD-4TGH-B1Z0"):
        html = client.get(reverse("certificates:register"), {"q": typed}).content.decode()
        assert issued.full_name in html
    html = client.get(reverse("certificates:register"), {"q": "7KQ2-M9XD-4TGH-B1Z8"}).content.decode()
    assert issued.full_name not in html
    with_code(issued, OLD)
    assert issued.full_name in client.get(reverse("certificates:register"), {"q": OLD}).content.decode()


def test_the_auditors_page_shows_the_code_as_printed(client, auditor, issued):
    with_code(issued, KNOWN)
    client.force_login(auditor)
    html = client.get(reverse("certificates:manage", args=[issued.pk])).content.decode()
    assert "7KQ2-M9XD-4TGH-B1Z0" in html


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_the_pdf_prints_the_grouped_code_on_one_line_and_its_qr_code_opens_the_certificate(
    client, learner_officer, eager_tasks, django_capture_on_commit_callbacks, monkeypatch, tmp_path
):
    monkeypatch.setattr(numbering, "new_verification_code", lambda: KNOWN)
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer)
    certificate = record.certificates.get()
    pdf = services.private_root() / certificate.pdf_path
    text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text())
    assert "7KQ2-M9XD-4TGH-B1Z0" in text.splitlines()  # a line of its own, never broken at a dash
    assert KNOWN not in text
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    (result,) = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert result.text == "https://hoctap.example.vn/verify/7KQ2-M9XD-4TGH-B1Z0/"
    response = client.get(urlsplit(result.text).path)
    assert response.status_code == 200
    assert certificate.number_display in response.content.decode()


def test_codes_of_every_length_up_to_the_column_still_fit(db):
    # Older codes are at most 16 characters; new ones are stored as 16: the column (32) needs no change.
    assert Certificate._meta.get_field("verification_code").max_length >= codes.SYMBOLS
    assert len(codes.display_code(codes.new_code())) == 19
