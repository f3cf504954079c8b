"""An auditor signs in on a phone with a password and then a TOTP code."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from organizations.scope import AUDITOR_GROUP
from organizations.tests.factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD))


def test_auditor_signs_in_with_password_and_totp_code(page, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    auditor = UserFactory(email="kiemtra@example.vn")
    auditor.groups.add(Group.objects.get_or_create(name=AUDITOR_GROUP)[0])
    TOTP.activate(auditor, SECRET)

    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_login", "kiemtra@example.vn")
    page.fill("#id_password", "Secret-pass-123")
    page.click("#main button[type=submit]")

    # Second step: the code page, in Vietnamese, fitting a phone screen.
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert page.locator("h1").inner_text() == "Xác thực hai lớp"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    code_input = page.locator("input[name=code]")
    assert code_input.bounding_box()["width"] <= 390

    # A wrong code keeps the auditor out.
    page.fill("input[name=code]", "000000" if current_code() != "000000" else "111111")
    page.click("#main form.account-form button[type=submit]")
    assert "Mã không đúng" in page.locator("#main").inner_text()

    page.fill("input[name=code]", current_code())
    page.click("#main form.account-form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/" not in page.url

    page.goto(f"{page.base_url}/roster/officers/")
    assert page.url.endswith("/roster/officers/")
    assert page.locator("h1").first.is_visible()


def test_a_code_entered_again_says_to_wait_for_the_next_one(page, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    auditor = UserFactory(email="kiemtra2@example.vn")
    auditor.groups.add(Group.objects.get_or_create(name=AUDITOR_GROUP)[0])
    TOTP.activate(auditor, SECRET)

    def sign_in_with(code: str) -> None:
        page.goto(f"{page.base_url}/accounts/login/")
        page.fill("#id_login", "kiemtra2@example.vn")
        page.fill("#id_password", "Secret-pass-123")
        page.click("#main button[type=submit]")
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("input[name=code]", code)
        page.click("#main form.account-form button[type=submit]")
        page.wait_for_load_state()

    code = current_code()
    sign_in_with(code)
    assert "/accounts/" not in page.url
    page.context.clear_cookies()

    sign_in_with(code)  # the same code, a moment later
    assert (
        "Mã này vừa được dùng. Hãy chờ ứng dụng xác thực hiện mã tiếp theo rồi nhập mã đó."
        in page.locator("#main").inner_text()
    )
    assert page.url.endswith("/accounts/2fa/authenticate/")
