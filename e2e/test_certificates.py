"""The demo learner passes a course, waits for the certificate, downloads it and opens
the verification URL its QR code carries. A real Celery worker renders the PDF."""

import io
import subprocess
import unicodedata
from datetime import date

import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.models import Page

from e2e.conftest import sign_in
from lms.testing.servers import celery_worker
from organizations import demo as organizations_demo
from organizations.models import Officer
from training.services import record_course_completion


def pass_a_course(officer):
    # Until the courses app lands, record the pass the way it will: through the ledger.
    course = Page.get_first_root_node().add_child(
        instance=Page(
            title="Kỹ năng tuyên truyền miệng trong công nhân lao động", slug="ky-nang-tuyen-truyen"
        )
    )
    record, _ = record_course_completion(
        officer=officer,
        course=course,
        completed_on=date(2026, 3, 12),
        hours=8,
        score=90,
        grants_certificate=True,
    )
    return record


def test_learner_gets_downloads_and_verifies_a_certificate(page, settings, tmp_path):
    organizations_demo.seed()
    settings.SITE_URL = page.base_url
    officer = Officer.objects.get(code="DEMO-HV")
    with celery_worker({"SITE_URL": page.base_url}):
        sign_in(page, "hocvien@demo.vn", "HocTap@2026")
        pass_a_course(officer)
        page.goto(f"{page.base_url}/certificates/")
        download_link = page.get_by_role("link", name="Tải PDF")
        # The page shows "being prepared" and reloads itself when the worker is done.
        expect(download_link).to_be_visible(timeout=90_000)
        with page.expect_download() as info:
            download_link.click()
        pdf = tmp_path / "certificate.pdf"
        info.value.save_as(pdf)

    text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text())
    assert "Nguyễn Thị Mai" in text
    assert "Kỹ năng tuyên truyền miệng trong công nhân lao động" in text
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    (url,) = [result.text for result in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
    assert url.startswith(f"{page.base_url}/verify/")

    page.context.clear_cookies()  # anyone can verify, signed in or not
    page.goto(url)
    result = page.locator("#verify-result")
    expect(result).to_contain_text("Giấy chứng nhận này là thật và còn hiệu lực")
    expect(result).to_contain_text("Nguyễn Thị Mai")
    expect(result).to_contain_text("GCN-LĐLĐ")
