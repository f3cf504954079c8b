"""The demo learner passes a course, waits for the certificate, downloads it and opens
the verification URL its QR code carries. A real Celery worker renders the PDF."""

import io
import re
import subprocess
import unicodedata

import zxingcpp
from django.contrib.auth.models import Group
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from courses.models import CoursePage, QuizAttempt
from courses.tests.conftest import home_page
from demo import courses as courses_demo
from demo import organizations as organizations_demo
from e2e.conftest import sign_in
from lms.testing.servers import celery_worker


def pass_first_demo_course(page) -> CoursePage:
    """Read every lesson and answer the final quiz correctly, as the learner would."""
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{page.base_url}/learn/")
    page.locator(".resume .button").click()
    done_button = page.get_by_role("button", name=re.compile("Đánh dấu hoàn thành bài học"))
    while done_button.count():
        done_button.click()
        page.wait_for_load_state()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    attempt = QuizAttempt.objects.get(officer__user__email="hocvien@demo.vn")
    for question in attempt.questions:
        name = f"q-{question['id']}"
        if question["type"] == "short_answer":
            page.fill(f"input[name='{name}']", question["accepted"][0])
        elif question["type"] == "true_false":
            page.check(f"input[name='{name}'][value='{question['answer']}']")
        else:
            for option in question["options"]:
                if option["correct"]:
                    page.check(f"input[name='{name}'][value='{option['key']}']")
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.get_by_text("Bạn đã hoàn thành khoá học.")).to_be_visible()
    return attempt.course


def test_learner_passes_a_course_then_downloads_and_verifies_the_certificate(page, settings, tmp_path):
    home_page()  # put back what an earlier flush removed (Wagtail's root and home page)
    Group.objects.get_or_create(name="Editors")
    organizations_demo.seed()
    courses_demo.seed()
    settings.SITE_URL = page.base_url
    with celery_worker({"SITE_URL": page.base_url}):
        sign_in(page, "hocvien@demo.vn", "HocTap@2026")
        course = pass_first_demo_course(page)
        page.goto(f"{page.base_url}/certificates/")
        download_link = page.get_by_role("link", name="Tải PDF")
        # The page says "being prepared" and reloads itself when the worker is done.
        expect(download_link).to_be_visible(timeout=90_000)
        with page.expect_download() as info:
            download_link.click()
        pdf = tmp_path / "certificate.pdf"
        info.value.save_as(pdf)

    text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text())
    assert "Nguyễn Thị Mai" in text
    assert " ".join(course.title.split()) in " ".join(text.split())
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


def test_the_zip_page_shows_live_that_building_failed_for_good_and_offers_to_try_again(
    page, tree, auditor, monkeypatch
):
    from certificates import services
    from certificates.models import BulkExport, BulkExportStatus

    queued = []
    monkeypatch.setattr(services, "enqueue", lambda task, *args: queued.append(args))  # no worker here
    export = BulkExport.objects.create(requested_by=auditor, unit=tree["a"], year=2026)
    sign_in(page, auditor.email)
    page.goto(f"{page.base_url}/certificates/bulk/{export.pk}/")
    expect(page.locator("#bulk-label")).to_have_text("Đang chờ")
    retrying = page.get_by_text("Một lần tạo tệp ZIP bị lỗi; hệ thống sẽ tự thử lại trong giây lát.")
    expect(retrying).to_be_hidden()
    BulkExport.objects.filter(pk=export.pk).update(error="OSError: disk full")  # an attempt failed
    expect(retrying).to_be_visible()
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExportStatus.FAILED)  # the last retry too
    expect(page.get_by_role("alert")).to_contain_text("Không tạo được tệp ZIP, kể cả sau nhiều lần")
    expect(page.locator("#bulk-progress")).to_be_hidden()
    expect(page.get_by_role("link", name="Tải tệp ZIP")).to_be_hidden()

    page.get_by_role("button", name="Thử lại").click()
    page.wait_for_url(lambda url: not url.endswith(f"/certificates/bulk/{export.pk}/"))
    again = BulkExport.objects.exclude(pk=export.pk).get()
    assert page.url.endswith(f"/certificates/bulk/{again.pk}/")
    assert (again.unit_id, again.year, queued) == (tree["a"].pk, 2026, [(again.pk,)])
    expect(page.locator("#bulk-label")).to_have_text("Đang chờ")
