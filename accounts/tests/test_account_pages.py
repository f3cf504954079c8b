"""Every allauth page a user meets: Vietnamese by default, English on request, site layout, and the
flows behind them (password reset by e-mail, e-mail change, TOTP activation and sign-in)."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from organizations.tests.factories import UserFactory

PASSWORD = "Secret-pass-123"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# English that must never reach a Vietnamese page (allauth's own wording and ours).
ENGLISH = [
    "Sign In",
    "Sign in",
    "Sign Out",
    "Password Reset",
    "Two-Factor Authentication",
    "Two-factor",
    "Forgot",
    "Email Address",
    "Change Password",
    "Authenticator",
    "Recovery Codes",
    "Cancel",
    "Confirm",
    "Activate",
    "Menu:",
]


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_vietnamese(response, *phrases):
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    text = visible_text(response)
    for phrase in phrases:
        assert phrase in text, phrase
    leaked = [word for word in ENGLISH if word in text]
    assert not leaked, leaked
    # The site's own layout, not allauth's bare one.
    assert 'class="site-header"' in response.text and "page-account" in response.text


def totp_code(secret: str, offset: int = 0) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client, password: str = PASSWORD):
    """allauth asks for the password again (not just a fresh sign-in) before two-factor changes."""
    return client.post(reverse("account_reauthenticate"), {"password": password})


def to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.fixture
def mai(db):
    return UserFactory(email="mai@example.vn")


# --- pages seen before signing in ------------------------------------------------------------

ENTRANCE_PAGES = [
    ("account_login", ["Đăng nhập", "Mật khẩu", "Quên mật khẩu?"], ["Sign in", "Forgot your password?"]),
    (
        "account_reset_password",
        ["Đặt lại mật khẩu", "Hãy nhập địa chỉ thư điện tử"],
        ["Password Reset", "Reset My Password"],
    ),
    ("account_reset_password_done", ["Hệ thống đã gửi thư cho bạn"], ["Password Reset", "We have sent you"]),
    ("account_signup", ["Không mở đăng ký", "danh sách cán bộ"], ["Sign Up Closed"]),
]


@pytest.mark.parametrize("url_name,vietnamese,english", ENTRANCE_PAGES)
def test_entrance_pages_in_vietnamese_then_english(client, db, url_name, vietnamese, english):
    response = client.get(reverse(url_name))
    assert_vietnamese(response, *vietnamese)
    assert "page-account--entrance" in response.text

    to_english(client)
    response = client.get(reverse(url_name))
    assert response.headers["Content-Language"] == "en"
    text = visible_text(response)
    for phrase in english:
        assert phrase in text, phrase
    for phrase in vietnamese:
        assert phrase not in text, phrase


def test_unknown_address_gets_no_reset_mail_but_the_same_answer(client, mai):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.vn"}, follow=True)
    # No account enumeration: the same "sent" page, but nothing goes out.
    assert_vietnamese(response, "Hệ thống đã gửi thư cho bạn")
    assert [m.to for m in mail.outbox if "Đặt lại mật khẩu" in m.subject] == []


def test_reset_form_errors_are_vietnamese(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert "Nhập địa chỉ email" in visible_text(response)


# --- password reset by e-mail, end to end ---------------------------------------------------


def test_password_reset_mail_is_vietnamese_and_its_link_sets_a_new_password(client, mai):
    client.post(reverse("account_reset_password"), {"email": "mai@example.vn"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mai@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Kính gửi đồng chí" in message.body
    assert "mở đường liên kết sau" in message.body
    assert "Trân trọng" in message.body
    for english in ("Hello from", "password reset", "Click the link", "Thank you for using"):
        assert english not in message.body
    link = re.search(r"https?://\S+", message.body).group(0)

    # The link leads to a Vietnamese "choose a new password" form.
    response = client.get(link, follow=True)
    assert_vietnamese(response, "Đổi mật khẩu", "Mật khẩu mới")
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link

    # Two different passwords are refused, in Vietnamese.
    response = client.post(form_url, {"password1": "Hoa-sen-2026!", "password2": "Hoa-sen-2027!"})
    assert "Hai lần nhập mật khẩu phải giống nhau" in visible_text(response)

    response = client.post(
        form_url, {"password1": "Hoa-sen-2026!", "password2": "Hoa-sen-2026!"}, follow=True
    )
    assert_vietnamese(response, "Mật khẩu của bạn đã được thay đổi")

    # The new password works, the old one no longer does.
    assert "không đúng" in sign_in(client, "mai@example.vn", PASSWORD).text
    assert sign_in(client, "mai@example.vn", "Hoa-sen-2026!").status_code == 302

    # The link cannot be used twice.
    client.post(reverse("account_logout"))
    response = client.get(link, follow=True)
    assert_vietnamese(response, "Đường liên kết không hợp lệ", "yêu cầu đặt lại mật khẩu lần nữa")


def test_tampered_reset_link_is_refused_in_vietnamese(client, mai):
    client.post(reverse("account_reset_password"), {"email": "mai@example.vn"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    broken = re.sub(r"-([0-9a-z]+)/$", "-0000000000000000/", link)
    response = client.get(broken, follow=True)
    assert_vietnamese(response, "Đường liên kết không hợp lệ")


# --- pages of a signed-in user ---------------------------------------------------------------

MANAGE_PAGES = [
    ("account_logout", ["Đăng xuất", "Bạn có chắc chắn muốn đăng xuất?"], ["Sign Out"]),
    ("account_email", ["Địa chỉ thư điện tử", "Thư điện tử hiện tại", "mai@example.vn"], ["Email Address"]),
    ("account_change_password", ["Đổi mật khẩu", "Mật khẩu hiện tại"], ["Change Password"]),
    ("mfa_index", ["Xác thực hai lớp", "Ứng dụng xác thực", "Mã khôi phục"], ["Two-Factor Authentication"]),
    (
        "mfa_activate_totp",
        ["Bật ứng dụng xác thực", "quét mã QR", "Mã xác thực"],
        ["Activate Authenticator App"],
    ),
    ("account_reauthenticate", ["Xác nhận truy cập", "Nhập mật khẩu của bạn"], ["Confirm Access"]),
]


@pytest.mark.parametrize("url_name,vietnamese,english", MANAGE_PAGES)
def test_account_pages_in_vietnamese_then_english(client, mai, url_name, vietnamese, english):
    assert sign_in(client, "mai@example.vn").status_code == 302
    reauthenticate(client)
    response = client.get(reverse(url_name))
    assert_vietnamese(response, *vietnamese)

    to_english(client)
    text = visible_text(client.get(reverse(url_name)))
    for phrase in english:
        assert phrase in text, phrase
    assert "Đăng xuất" not in text


def test_account_menu_marks_the_current_page(client, mai):
    client.force_login(mai)
    response = client.get(reverse("account_change_password"))
    menu = re.search(r'<nav class="account-menu".*?</nav>', response.text, flags=re.S).group(0)
    assert "Thư điện tử" in menu and "Mật khẩu" in menu and "Xác thực hai lớp" in menu
    assert re.search(r'href="/accounts/password/change/"\s+aria-current="page"', menu)
    assert "aria-current" not in menu.split("/accounts/password/change/")[0]


def test_set_password_sends_users_with_a_password_to_change_password(client, mai):
    client.force_login(mai)
    response = client.get(reverse("account_set_password"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_change_password")


def test_change_password_refuses_a_wrong_current_password_then_changes_it(client, mai):
    client.force_login(mai)
    url = reverse("account_change_password")
    data = {"oldpassword": "wrong", "password1": "Hoa-sen-2026!", "password2": "Hoa-sen-2026!"}
    response = client.post(url, data)
    assert "Mật khẩu không đúng" in visible_text(response) or "mật khẩu hiện tại" in visible_text(response)
    assert 'class="errorlist' in response.text

    data["oldpassword"] = PASSWORD
    response = client.post(url, data, follow=True)
    assert "Đã đổi mật khẩu thành công" in visible_text(response)
    mai.refresh_from_db()
    assert mai.check_password("Hoa-sen-2026!")


def test_sign_out_confirmation_signs_out(client, mai):
    client.force_login(mai)
    response = client.post(reverse("account_logout"), follow=True)
    assert "Bạn đã đăng xuất" in visible_text(response)
    assert not response.context["user"].is_authenticated


def test_signing_out_tells_the_browser_to_forget_the_offline_copies(client, mai):
    client.force_login(mai)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    # The saved courses (Cache Storage), the queued completions (IndexedDB) and the HTTP cache.
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_email_change_is_confirmed_by_a_vietnamese_mail(client, mai):
    client.force_login(mai)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "mai.moi@example.vn"}, follow=True
    )
    assert_vietnamese(response, "Đang đổi sang", "đang chờ xác minh", "mai.moi@example.vn")
    message = mail.outbox[-1]
    assert message.to == ["mai.moi@example.vn"]
    assert "Xác nhận địa chỉ thư điện tử" in message.subject
    assert "Kính gửi đồng chí" in message.body and "Please" not in message.body
    link = re.search(r"https?://\S+", message.body).group(0)

    response = client.get(link)
    assert_vietnamese(response, "Xác nhận địa chỉ thư điện tử", "mai.moi@example.vn")
    response = client.post(link, follow=True)
    assert "Bạn đã xác nhận mai.moi@example.vn" in visible_text(response)
    mai.refresh_from_db()
    assert mai.email == "mai.moi@example.vn"


def test_expired_confirmation_link_is_explained_in_vietnamese(client, mai):
    client.force_login(mai)
    response = client.get(reverse("account_confirm_email", args=["no-such-key"]))
    assert_vietnamese(response, "đã hết hạn hoặc không hợp lệ", "gửi yêu cầu xác nhận mới")


# --- two-factor authentication ---------------------------------------------------------------


def test_auditor_activates_totp_with_the_shown_secret_then_reaches_the_roster(client, auditor, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    assert sign_in(client, "auditor@example.vn").status_code == 302
    response = client.get("/roster/officers/")
    assert response.headers["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password once more before two-factor changes; that page is Vietnamese too.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert_vietnamese(response, "Xác nhận truy cập", "Nhập mật khẩu của bạn")
    response = client.post(
        response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"], {"password": "wrong"}
    )
    assert "Mật khẩu không đúng" in visible_text(response)
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"), {"password": PASSWORD}
    )
    assert response.headers["Location"] == reverse("mfa_activate_totp")

    response = client.get(reverse("mfa_activate_totp"))
    assert_vietnamese(response, "Bật ứng dụng xác thực", "Khóa bí mật của ứng dụng xác thực")
    assert 'class="qr-code"' in response.text and "data:image/svg+xml" in response.text
    secret = re.search(r'<input[^>]*id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', response.text).group(
        1
    )

    # A wrong code is refused and nothing is activated.
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert "Mã không đúng" in visible_text(response)
    assert not Authenticator.objects.filter(user=auditor).exists()
    assert client.get("/roster/officers/").status_code == 302

    # Activation leads straight to the new recovery codes, to be saved now.
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    assert_vietnamese(
        response, "Mã khôi phục", "Còn 10 trên tổng số 10 mã khôi phục chưa dùng", "Mã chưa dùng"
    )
    assert Authenticator.objects.filter(user=auditor, type=Authenticator.Type.TOTP).exists()
    assert client.get("/roster/officers/").status_code == 200
    assert 'class="code-box"' in response.text


def test_sign_in_with_totp_as_second_step(client, settings, db):
    settings.LMS_REQUIRE_STAFF_MFA = True
    user = UserFactory(email="lan@example.vn")
    TOTP.activate(user, SECRET)

    response = sign_in(client, "lan@example.vn")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not client.get("/").context["user"].is_authenticated

    response = client.get(reverse("mfa_authenticate"))
    assert_vietnamese(response, "Xác thực hai lớp", "nhập mã từ ứng dụng xác thực", "Hủy")

    response = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert "Mã không đúng" in visible_text(response)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated


def test_totp_pages_of_a_protected_account(client, db):
    user = UserFactory(email="lan@example.vn")
    TOTP.activate(user, SECRET)
    RecoveryCodes.activate(user)
    sign_in(client, "lan@example.vn")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    reauthenticate(client)

    response = client.get(reverse("mfa_index"))
    assert_vietnamese(response, "Xác thực bằng ứng dụng xác thực đang được bật", "Tắt")

    response = client.get(reverse("mfa_deactivate_totp"))
    assert_vietnamese(response, "Tắt ứng dụng xác thực", "Bạn có chắc chắn?")

    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert_vietnamese(response, "Bạn sắp tạo một bộ mã khôi phục mới", "Các mã hiện có sẽ không còn hiệu lực")

    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert "Đã tắt ứng dụng xác thực" in visible_text(response)
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_staff_cannot_turn_their_authenticator_app_off(client, auditor, settings):
    """Staff must use two-factor: deactivating it is refused in Vietnamese, and the app stays on."""
    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, SECRET)
    sign_in(client, "auditor@example.vn")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    reauthenticate(client)

    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "Bạn không thể tắt xác thực hai lớp." in visible_text(response)
    assert Authenticator.objects.filter(user=auditor, type=Authenticator.Type.TOTP).exists()
    assert client.get("/roster/officers/").status_code == 200


def test_two_factor_pages_in_english_after_switching(client, db):
    user = UserFactory(email="lan@example.vn")
    TOTP.activate(user, SECRET)
    to_english(client)
    sign_in(client, "lan@example.vn")
    text = visible_text(client.get(reverse("mfa_authenticate")))
    assert "Two-Factor Authentication" in text and "Xác thực hai lớp" not in text
