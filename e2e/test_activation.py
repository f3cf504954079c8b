"""An officer with only a phone number: from a printed activation sheet, or a link shared in
Zalo, to signed in on /learn/ on a 375 px phone — no e-mail anywhere."""

import io
import itertools
import re
import subprocess
from datetime import date

import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import sign_in
from organizations.models import Officer
from organizations.tests.factories import OfficerFactory

PASSWORD = "Hoc-tap-2026!"
GROUPED = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


_NUMBERS = itertools.count(5678)


def phone_only_officer(unit, given_name="Lan"):
    return OfficerFactory(
        unit=unit,
        family_name="Trần",
        middle_name="Thị",
        given_name=given_name,
        email="",
        phone=f"+8491234{next(_NUMBERS):04d}",  # a phone belongs to one officer
        date_of_birth=date(1985, 3, 5),
    )


def on_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base_url = base_url
    return context, phone


def activate_on_phone(phone, *, code: str | None = None):
    """On the activation page (opened by a link, or typed): date of birth, then a password."""
    if code is not None:
        phone.fill("#id_code", code.lower().replace("-", " "))  # as someone might type it
    phone.fill("#id_date_of_birth", "05/03/1985")
    phone.get_by_role("button", name="Tiếp tục").click()
    expect(phone.get_by_text("Trần Thị Lan")).to_be_visible()
    phone.fill("#id_password1", PASSWORD)
    phone.fill("#id_password2", PASSWORD)
    phone.get_by_role("button", name="Tạo tài khoản của tôi").click()
    phone.wait_for_url(f"{phone.base_url}/learn/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_from_a_printed_sheet_to_learning_on_a_phone(
    page, browser, live_server, manager_a, tree, settings, tmp_path
):
    settings.SITE_URL = live_server.url  # what the QR codes point to
    first = phone_only_officer(tree["ga"])
    sign_in(page, "manager.a@example.vn")
    page.goto(f"{page.base_url}/roster/invitations/?unit=CS-A")
    expect(page.get_by_text("Mỗi lần in sẽ tạo mã mới")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="In phiếu kích hoạt").click()
    pdf = tmp_path / "sheet.pdf"
    download.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Trần Thị Lan" in text
    (code,) = GROUPED.findall(text)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True
    )
    (qr,) = zxingcpp.read_barcodes(Image.open(tmp_path / "p.png"))
    assert qr.text == f"{live_server.url}/kich-hoat/{code}/"

    # The officer scans the QR code with their phone.
    context, phone = on_a_phone(browser, live_server.url)
    phone.goto(qr.text)
    expect(phone.locator("#id_code")).to_have_value(code)
    activate_on_phone(phone)
    expect(phone.locator("h1")).to_be_visible()
    context.close()
    officer = Officer.objects.get(pk=first.pk)
    assert officer.user is not None and officer.user.email == ""

    # A second officer of the sheet's next print types the code instead of scanning it.
    phone_only_officer(tree["ga"], given_name="Lan")
    with page.expect_download() as download:
        page.goto(f"{page.base_url}/roster/invitations/?unit=CS-A")
        page.get_by_role("button", name="In phiếu kích hoạt").click()
    download.value.save_as(pdf)
    (typed,) = GROUPED.findall(PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text())
    context, phone = on_a_phone(browser, live_server.url)
    phone.goto(f"{live_server.url}/kich-hoat/")
    activate_on_phone(phone, code=typed)
    context.close()
    assert Officer.objects.filter(user__isnull=False, given_name="Lan").count() == 2


def test_from_a_link_shared_in_zalo_to_learning_on_a_phone(
    page, browser, live_server, manager_a, tree, settings
):
    settings.SITE_URL = live_server.url
    lan = phone_only_officer(tree["ga"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, "manager.a@example.vn")
    page.goto(f"{page.base_url}/roster/invitations/")
    page.get_by_role("button", name="Tạo liên kết kích hoạt").click()
    link = page.locator("#activation-url").input_value()
    assert link.startswith(f"{live_server.url}/kich-hoat/")
    message = page.locator("#activation-text").input_value()
    assert message.startswith("Chào anh/chị Trần Thị Lan, mời anh/chị kích hoạt") and link in message
    page.get_by_role("button", name="Sao chép liên kết").click()
    expect(page.get_by_text("Đã sao chép.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    # Headless Chromium on Linux has no Web Share API: no "Chia sẻ" button there.
    if page.evaluate("typeof navigator.share") != "function":
        expect(page.locator("[data-activation-share-button]")).to_be_hidden()
    # A phone's browser has one: "Chia sẻ" hands the ready message to Zalo (here, to a recorder).
    # A new link supersedes the one just copied.
    page.add_init_script("navigator.share = (data) => { window.shared = data; return Promise.resolve(); };")
    page.goto(f"{page.base_url}/roster/invitations/")
    page.get_by_role("button", name="Tạo liên kết kích hoạt").click()
    first_link, link = link, page.locator("#activation-url").input_value()
    assert link != first_link
    page.get_by_role("button", name="Chia sẻ").click()
    assert page.evaluate("window.shared.text") == page.locator("#activation-text").input_value()

    context, phone = on_a_phone(browser, live_server.url)
    phone.goto(first_link)
    expect(phone.get_by_text("đã được thay bằng một mã mới hơn")).to_be_visible()
    phone.goto(link)
    activate_on_phone(phone)
    context.close()
    assert Officer.objects.get(pk=lan.pk).user is not None
