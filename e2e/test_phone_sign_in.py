"""The demo's phone-only learner signs in with their phone number on a phone's screen."""

from django.core.management import call_command
from playwright.sync_api import expect


def test_the_phone_only_demo_learner_signs_in_with_0900000001_and_lands_on_learn(page):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{page.base_url}/accounts/login/")
    expect(page.get_by_label("Số điện thoại hoặc e-mail")).to_be_visible()
    page.get_by_label("Số điện thoại hoặc e-mail").fill("0900 000 001")
    page.fill("#id_password", "HocTap@2026")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{page.base_url}/learn/")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


def test_a_phone_user_resets_a_forgotten_password_with_a_code_from_their_manager(page):
    from accounts.reset_codes import issue_reset_code
    from organizations.models import Officer

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    officer = Officer.objects.get(phone="+84900000001")
    code = issue_reset_code(officer, issued_by=None)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.fill("#id_phone", "0900000001")
    page.fill("#id_code", code.lower())  # as read out: any case
    page.fill("#id_password1", "Mat-khau-moi-2026")
    page.fill("#id_password2", "Mat-khau-moi-2026")
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    page.wait_for_url(f"{page.base_url}/learn/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0
