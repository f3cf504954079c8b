"""The demo auditor opens the audit, drills into a district and downloads the export (headless Chromium)."""

import io
import re

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import sign_in


def _pass_two_factor_if_asked(page):
    if "/2fa/" not in page.url:
        return
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from demo.organizations import DEMO_TOTP_SECRET

    counter = next(iter(yield_hotp_counters_from_time()))
    page.fill("input[name=code]", format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
    page.click("#main button[type=submit]")
    page.wait_for_load_state()


def test_demo_auditor_drills_down_and_downloads_the_export(page):
    call_command("seed_demo", verbosity=0)
    sign_in(page, "tuyengiao@demo.vn", "HocTap@2026")
    _pass_two_factor_if_asked(page)

    page.goto(f"{page.base_url}/audit/")
    expect(page.locator("h1")).to_contain_text("Kiểm tra bồi dưỡng")
    expect(page.locator(".audit-headline")).to_contain_text("Mục tiêu 2")
    table = page.locator("#unit-table")
    expect(table).to_contain_text("Liên đoàn Lao động quận Cầu Giấy")

    table.get_by_role("link", name="Liên đoàn Lao động quận Cầu Giấy").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Cầu Giấy")
    expect(page.locator(".breadcrumbs")).to_contain_text("Liên đoàn Lao động thành phố Hà Nội")
    rows = page.locator("#unit-table tbody tr")
    assert rows.count() >= 2
    expect(page.locator("#unit-table")).to_contain_text("Công đoàn cơ sở")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-LDLD-CAUGIAY-dashboard.xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị"]
    codes = [row[1] for row in book["Đơn vị"].iter_rows(min_row=4, values_only=True)]
    assert "LDLD-CAUGIAY" in codes and all(code.startswith(("CS-", "LDLD-CAUGIAY")) for code in codes)


def _small_roster(tree):
    from organizations.models import Role
    from training.audit.services import ensure_program09
    from training.tests.audit_helpers import YEAR, officer_with

    ensure_program09(YEAR)
    for given_name in ("Lan", "Bình", "Hà"):
        officer_with(tree["ga"], Role.PROPAGANDIST, given_name=given_name)
    return YEAR


def test_a_large_export_shows_its_progress_then_downloads_the_file(page, settings, tree, auditor):
    """Above AUDIT_EXPORT_SYNC_ROWS the link opens the progress page (not a saved HTML file);
    a real Celery worker builds the workbook and the page offers it for download."""
    from lms.testing.servers import celery_worker

    year = _small_roster(tree)
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    with celery_worker():
        sign_in(page, auditor.email)
        page.goto(f"{page.base_url}/audit/officers/?year={year}&status=all")
        expect(page.locator("#officer-table")).to_contain_text("Nguyễn Văn Hà")
        page.get_by_role("link", name="Xuất Excel").click()
        page.wait_for_url(re.compile(r"/audit/exports/\d+/$"))
        expect(page.get_by_role("heading", name="Đang chuẩn bị tệp xuất")).to_be_visible()
        link = page.get_by_role("link", name="Tải xuống")
        expect(link).to_be_visible(timeout=90_000)
        expect(page.locator("#export-state")).to_have_text("Sẵn sàng · 100%")
        with page.expect_download() as download_info:
            link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"kiem-tra-boi-duong-{year}-officers.xlsx")
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["Nguyễn Văn Bình", "Nguyễn Văn Hà", "Nguyễn Văn Lan"]


def test_the_progress_page_says_clearly_when_an_export_failed(page, tree, auditor):
    from training.models import AuditExport, ExportStatus

    year = _small_roster(tree)
    job = AuditExport.objects.create(
        requested_by=auditor, params={"year": year, "status": "all", "view": "officers", "fmt": "xlsx"}
    )
    sign_in(page, auditor.email)
    page.goto(f"{page.base_url}/audit/exports/{job.pk}/")
    state = page.locator("#export-state")
    expect(state).to_have_text("Đang chờ · 0%")
    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=40)
    expect(state).to_have_text("Đang xử lý · 40%")
    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="disk full")
    expect(page.get_by_role("alert")).to_contain_text("Xuất dữ liệu bị lỗi: chưa tạo được tệp")
    expect(page.locator("#export-progress-box")).to_be_hidden()
    expect(page.get_by_role("link", name="Tải xuống")).to_be_hidden()
    # Trying again asks for the same export; this small one comes back as the file itself.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất lại").click()
    assert download_info.value.suggested_filename.endswith(f"-{year}-officers.xlsx")


def test_an_export_whose_file_expires_says_so_while_its_page_is_open(page, tree, auditor):
    from training.models import AuditExport, ExportStatus

    year = _small_roster(tree)
    job = AuditExport.objects.create(
        requested_by=auditor, params={"year": year, "status": "all", "view": "officers", "fmt": "xlsx"}
    )
    sign_in(page, auditor.email)
    page.goto(f"{page.base_url}/audit/exports/{job.pk}/")
    expect(page.locator("#export-state")).to_have_text("Đang chờ · 0%")
    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED)
    expect(page.locator("#export-expired")).to_contain_text("Tệp xuất được giữ 7 ngày; tệp này đã bị xoá.")
    expect(page.locator("#export-progress-box")).to_be_hidden()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tạo tệp xuất mới").click()
    assert download_info.value.suggested_filename.endswith(f"-{year}-officers.xlsx")


def test_closing_a_year_asks_first_on_a_phone(page, tree, auditor):
    from training.audit.services import ensure_program09
    from training.models import YearClosure
    from training.tests.audit_helpers import YEAR

    past = YEAR - 1
    ensure_program09(past)
    sign_in(page, auditor.email)
    _pass_two_factor_if_asked(page)
    page.goto(f"{page.base_url}/audit/years/")
    page.locator("#year-table tr", has_text=str(past)).get_by_role("link", name="Khóa sổ năm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Khóa sổ năm {past}?")
    expect(page.locator("#close-consequences")).to_contain_text("phải nêu lý do và được ghi vào nhật ký")
    # Nothing is cut off or scrolls sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not YearClosure.objects.exists()
    page.get_by_role("button", name=f"Khóa sổ năm {past}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã khóa năm {past}")
    assert YearClosure.objects.get(year=past).is_closed
