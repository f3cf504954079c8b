from playwright.sync_api import expect

from e2e.conftest import sign_in
from organizations.tests.factories import UserFactory


def test_sign_in_and_switch_language_on_a_phone(page):
    UserFactory(email="mai@example.vn")
    sign_in(page, "mai@example.vn")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.click(".nav-toggle")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click(".nav-toggle")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_error(page):
    UserFactory(email="mai@example.vn")
    sign_in(page, "mai@example.vn", "wrong-password")
    expect(page.get_by_text("Địa chỉ thư điện tử hoặc mật khẩu không đúng.")).to_be_visible()
