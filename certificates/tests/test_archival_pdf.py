"""Issued PDFs are PDF/A-3b archival records carrying the signed Open Badges credential as an
attached file — the same bytes the verification page serves; the stored SHA-256 is of the file
as written, and a certificate rendered before keeps its file."""

import hashlib
import io
import re

import jwt as pyjwt
from pypdf import PdfReader

from certificates.services import private_root, render_and_store


def read_pdf(certificate) -> tuple[bytes, PdfReader]:
    data = (private_root() / certificate.pdf_path).read_bytes()
    return data, PdfReader(io.BytesIO(data))


def xmp_text(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def pdfa_identification(reader: PdfReader) -> tuple[str, str]:
    text = xmp_text(reader)
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", text)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([A-Za-z])", text)
    return part.group(1), conformance.group(1)


def test_an_issued_pdf_is_pdfa_3b_with_the_signed_credential_attached(issued, client):
    issued.refresh_from_db()
    data, reader = read_pdf(issued)
    assert pdfa_identification(reader) == ("3", "B")
    name = f"openbadge-{issued.verification_code_display}.jwt"
    assert list(reader.attachments) == [name]
    (attached,) = reader.attachments[name]
    served = client.get(f"/verify/{issued.verification_code_display}/openbadge.jwt").content
    assert attached == served == issued.credential_jwt.encode()
    # PDF/A-3 names how the file relates to the document: it is the data the page shows.
    root = reader.trailer["/Root"]
    # (WeasyPrint 70 lists the one file spec twice in /AF; it is one object.)
    (spec_number,) = {ref.idnum for ref in root["/AF"]}
    spec = reader.get_object(spec_number)
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/F"] == name
    assert pyjwt.get_unverified_header(attached.decode())["alg"] == "EdDSA"
    # The register's SHA-256 is of these exact bytes, and the page still reads as before.
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    assert "Nguyễn Thị Mai" in reader.pages[0].extract_text()
    assert len(reader.pages) == 1


def test_a_certificate_rendered_before_keeps_its_pdf(issued):
    issued.refresh_from_db()
    before = (private_root() / issued.pdf_path).read_bytes()
    again = render_and_store(issued.pk)
    assert again.pdf_sha256 == issued.pdf_sha256
    assert (private_root() / issued.pdf_path).read_bytes() == before
