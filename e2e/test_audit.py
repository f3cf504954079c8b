"""The demo auditor opens the audit, drills into a district and downloads the export (headless Chromium)."""

import io

from django.contrib.auth.models import Group
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import sign_in


def _pass_two_factor_if_asked(page):
    if "/2fa/" not in page.url:
        return
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from organizations.demo import DEMO_TOTP_SECRET

    counter = next(iter(yield_hotp_counters_from_time()))
    page.fill("input[name=code]", format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
    page.click("#main button[type=submit]")
    page.wait_for_load_state()


def test_demo_auditor_drills_down_and_downloads_the_export(page):
    # An earlier transactional test may have flushed what migrations create; seed_demo needs these.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    Group.objects.get_or_create(name="Editors")
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
