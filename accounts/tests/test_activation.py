"""Activation without e-mail: codes, sheets (PDF read back, QR decoded), links, /kich-hoat/."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from accounts import activation as services
from accounts.models import ActivationCode
from organizations.tests.factories import OfficerFactory, UserFactory

PASSWORD = "Hoc-tap-2026!"
GROUPED = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


# --- Codes -----------------------------------------------------------------------------------


def test_new_codes_are_sixty_bits_of_unambiguous_symbols_printed_in_groups():
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:200]:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", code)  # no I, L, O, U
        assert GROUPED.fullmatch(services.grouped(code))
    assert len(services.ALPHABET) ** services.SYMBOLS >= 2**60


@pytest.mark.parametrize(
    "typed",
    ["K7QM-3XPD-9RTA", "k7qm3xpd9rta", " K7QM 3XPD 9RTA ", "k7qm–3xpd—9rta", "Ｋ７ＱＭ３ＸＰＤ９ＲＴＡ"],
)
def test_typed_codes_are_read_leniently(typed):
    assert services.normalize(typed) == "K7QM3XPD9RTA"


def test_look_alike_letters_read_as_digits_and_nonsense_is_no_code():
    assert services.normalize("1O1L-I0OO-ABCD") == "10111000ABCD"
    assert services.normalize("K7QM-3XPD") is None  # too short
    assert services.normalize("K7QM-3XPD-9RTU") is None  # U is no symbol
    assert services.normalize("x" * 100) is None and services.normalize("") is None


# --- Helpers ---------------------------------------------------------------------------------


def sheet(client, user, unit_code, **params):
    client.force_login(user)
    query = "&".join([f"unit={unit_code}"] + [f"{k}={v}" for k, v in params.items()])
    return client.post(f"{reverse('accounts:activation_sheet')}?{query}")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def officer(unit, **kwargs):
    kwargs.setdefault("email", "")
    kwargs.setdefault("date_of_birth", date(1985, 3, 5))
    return OfficerFactory(unit=unit, **kwargs)


def issue(officer, by=None) -> str:
    return services.issue_code(officer=officer, by=by).display


def confirm(client, code, dob="05/03/1985"):
    return client.post(reverse("activation:start"), {"code": code, "date_of_birth": dob})


def activate(client, code, dob="05/03/1985", password=PASSWORD):
    response = confirm(client, code, dob)
    assert response.status_code == 302 and response["Location"] == reverse("activation:password")
    return client.post(reverse("activation:password"), {"password1": password, "password2": password})


# --- The sheet -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_sheet_has_a_card_per_officer_without_account_with_a_working_qr_code(
    client, manager_a, tree, tmp_path, settings
):
    lan = officer(tree["ga"], family_name="Trần", middle_name="Thị", given_name="Lan")
    officer(tree["ga"], family_name="Lê", middle_name="Văn", given_name="Hùng")
    officer(tree["ga"], given_name="Có", user=UserFactory())  # has an account: no card
    response = sheet(client, manager_a, "CS-A")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Trần Thị Lan" in text and "Lê Văn Hùng" in text and "Nguyễn Văn Có" not in text
    assert "CĐCS Công ty May Ba Đình" in text
    expiry = (timezone.localtime() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"Có giá trị đến {expiry}" in text
    assert "Quét mã QR hoặc vào" in text and "/kich-hoat/" in text and "đặt mật khẩu" in text
    codes = GROUPED.findall(text)
    assert len(codes) == 2
    # Each printed code is one the database knows, and open.
    for code in codes:
        assert services.find_code(code).officer.unit == tree["ga"]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True
    )
    urls = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "p.png")))
    site = settings.SITE_URL.rstrip("/")
    assert urls == sorted(f"{site}/kich-hoat/{code}/" for code in codes)
    # Cards are in name order: Lê Văn Hùng, then Trần Thị Lan.
    assert services.find_code(codes[1]).officer == lan


def test_printing_again_supersedes_the_earlier_sheet(client, manager_a, tree):
    officer(tree["ga"])
    first = GROUPED.findall(pdf_text(sheet(client, manager_a, "CS-A").content))
    second = GROUPED.findall(pdf_text(sheet(client, manager_a, "CS-A").content))
    assert len(first) == len(second) == 1 and first != second
    response = confirm(client, first[0])
    assert response.status_code == 400 and "đã được thay bằng một mã mới hơn" in response.text
    assert ActivationCode.objects.count() == 2 and ActivationCode.objects.open().count() == 1


def test_sheet_of_a_unit_or_its_subtree(client, auditor, tree):
    officer(tree["a"], given_name="Quận")
    officer(tree["ga"], given_name="Cơsở")
    assert "Nguyễn Văn Cơsở" not in pdf_text(sheet(client, auditor, "Q-BD").content)
    text = pdf_text(sheet(client, auditor, "Q-BD", subtree=1).content)
    assert "Nguyễn Văn Quận" in text and "Nguyễn Văn Cơsở" in text


def test_sheet_outside_scope_is_404_like_an_unknown_unit(client, manager_a, tree):
    officer(tree["gb"])
    assert sheet(client, manager_a, "CS-B").status_code == 404
    assert sheet(client, manager_a, "NO-SUCH").status_code == 404
    assert not ActivationCode.objects.exists()
    client.force_login(manager_a)
    assert client.get(f"{reverse('accounts:activation_sheet')}?unit=CS-A").status_code == 405


def test_empty_unit_gets_a_message_not_an_empty_pdf(client, manager_a, tree):
    officer(tree["ga"], user=UserFactory())
    response = sheet(client, manager_a, "CS-A")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "đã có tài khoản: không có phiếu kích hoạt nào để in" in page.text


def test_learner_cannot_print_sheets(client, learner, tree):
    assert sheet(client, learner, "CS-A").status_code == 403


# --- Links -----------------------------------------------------------------------------------


def test_link_for_zalo_supersedes_and_shows_a_ready_message(client, manager_a, tree, settings):
    lan = officer(tree["ga"], family_name="Trần", middle_name="Thị", given_name="Lan")
    old = issue(lan)
    client.force_login(manager_a)
    page = client.get(reverse("accounts:invitation_list"))
    assert "Trần Thị Lan" in page.text  # listed though she has no e-mail
    assert reverse("accounts:activation_link", args=[lan.pk]) in page.text
    response = client.post(reverse("accounts:activation_link", args=[lan.pk]))
    assert response.status_code == 200
    code = re.search(r'id="activation-code">([0-9A-Z-]+)<', response.text).group(1)
    expiry = (timezone.localtime() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert (
        f"Chào anh/chị Trần Thị Lan, mời anh/chị kích hoạt tài khoản học tập của Công đoàn: "
        f"{settings.SITE_URL.rstrip('/')}/kich-hoat/{code}/ (mã: {code}, hạn đến {expiry})."
    ) in response.text.replace("&#x27;", "'")
    assert "accounts/js/activation-share.js" in response.text and "<script>" not in response.text
    assert "Sao chép liên kết" in response.text and "Chia sẻ" in response.text
    assert confirm(client, old).status_code == 400  # superseded by the link
    assert activate(client, code).status_code == 302


def test_link_outside_scope_is_404(client, manager_a, tree):
    other = officer(tree["gb"])
    client.force_login(manager_a)
    assert client.post(reverse("accounts:activation_link", args=[other.pk])).status_code == 404
    assert not ActivationCode.objects.exists()


def test_no_link_for_an_officer_with_an_account(client, manager_a, tree):
    has = officer(tree["ga"], user=UserFactory())
    client.force_login(manager_a)
    response = client.post(reverse("accounts:activation_link", args=[has.pk]), follow=True)
    assert "đã có tài khoản" in response.text and not ActivationCode.objects.exists()


# --- /kich-hoat/ -----------------------------------------------------------------------------


def test_activation_makes_a_linked_account_without_email_and_signs_in(client, tree):
    lan = officer(tree["ga"], family_name="Trần", middle_name="Thị", given_name="Lan", phone="0912345678")
    code = issue(lan)
    # Opening the link pre-fills the code and shows no name.
    page = client.get(reverse("activation:start_with_code", args=[code]))
    assert page.status_code == 200 and code in page.text and "Lan" not in page.text
    response = confirm(client, code.lower().replace("-", " "))
    password_page = client.get(response["Location"])
    assert "Trần Thị Lan" in password_page.text  # named only once the date of birth matched
    response = client.post(reverse("activation:password"), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("learn:dashboard")
    lan.refresh_from_db()
    user = lan.user
    assert user is not None and user.email == "" and user.check_password(PASSWORD)
    assert client.get(reverse("learn:dashboard")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk
    used = ActivationCode.objects.get()
    assert used.used_at and used.user == user and used.unit == tree["ga"]
    # The code works once.
    client.logout()
    response = confirm(client, code)
    assert response.status_code == 400 and "đã được sử dụng" in response.text


def test_each_problem_with_a_code_says_which_without_saying_whose(client, tree):
    lan = officer(tree["ga"], family_name="Trần", middle_name="Thị", given_name="Lan")
    expired = issue(lan)
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    cases = {
        "ZZZZ-ZZZZ-ZZZZ": "không hợp lệ",
        "not a code": "không hợp lệ",
        expired: "đã hết hạn",
    }
    for code, message in cases.items():
        response = confirm(client, code)
        assert response.status_code == 400 and message in response.text, code
        assert "Lan" not in response.text and "Ba Đình" not in response.text
    assert client.get(reverse("activation:start_with_code", args=[expired])).status_code == 410


def test_wrong_date_of_birth_is_refused_and_an_officer_without_one_asks_the_manager(client, tree):
    lan = officer(tree["ga"], given_name="Lan")
    code = issue(lan)
    response = confirm(client, code, "06/03/1985")
    assert response.status_code == 400 and "không khớp" in response.text and "Lan" not in response.text
    assert client.get(reverse("activation:password")).status_code == 302  # not confirmed
    nodob = officer(tree["ga"], date_of_birth=None)
    response = confirm(client, issue(nodob))
    assert response.status_code == 400 and "nhờ người quản lý" in response.text
    assert get_user_model().objects.filter(officer__isnull=False).count() == 0


def test_password_rules_are_djangos(client, tree):
    code = issue(officer(tree["ga"], given_name="Lan"))
    confirm(client, code)
    response = client.post(reverse("activation:password"), {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and "errorlist" in response.text
    assert not ActivationCode.objects.used().exists()


def test_ten_wrong_codes_from_one_address_get_429(client, tree):
    code = issue(officer(tree["ga"]))
    for _ in range(10):
        assert confirm(client, "AAAA-BBBB-CCCC").status_code == 400
    assert confirm(client, code).status_code == 429  # even the right code, for an hour
    assert client.get(reverse("activation:start")).status_code == 429
    other = client.__class__(REMOTE_ADDR="10.0.0.2")
    assert confirm(other, code).status_code == 302  # another address is not blocked


def test_ten_wrong_dates_of_birth_for_one_officer_get_429_from_any_address(client, tree):
    code = issue(officer(tree["ga"]))
    for i in range(10):
        other = client.__class__(REMOTE_ADDR=f"10.0.1.{i}")
        assert confirm(other, code, "01/01/1990").status_code == 400
    fresh = client.__class__(REMOTE_ADDR="10.0.2.1")
    assert confirm(fresh, code).status_code == 429  # the officer is limited, not only the address


def test_a_repeated_submit_creates_one_account(client, tree):
    lan = officer(tree["ga"])
    code = issue(lan)
    confirm(client, code)
    data = {"password1": PASSWORD, "password2": PASSWORD}
    first = client.post(reverse("activation:password"), data)
    second = client.post(reverse("activation:password"), data)
    assert first["Location"] == second["Location"] == reverse("learn:dashboard")
    assert get_user_model().objects.filter(officer=lan).count() == 1
    assert get_user_model().objects.count() == 1


def test_a_second_tab_confirmed_before_the_first_submitted_makes_no_second_account(client, tree):
    lan = officer(tree["ga"])
    code = issue(lan)
    other = client.__class__()
    confirm(client, code)
    confirm(other, code)
    data = {"password1": PASSWORD, "password2": PASSWORD}
    assert client.post(reverse("activation:password"), data)["Location"] == reverse("learn:dashboard")
    assert other.post(reverse("activation:password"), data)["Location"] == reverse("activation:start")
    assert get_user_model().objects.count() == 1


def test_activations_are_listed_for_the_units_managers_only(
    client, manager_a, manager_b, tree, django_assert_num_queries
):
    lan = officer(tree["ga"], family_name="Trần", middle_name="Thị", given_name="Lan")
    services.issue_code(officer=lan, by=manager_a)
    activate(client, services.issue_code(officer=lan, by=manager_a).display)
    client.logout()
    client.force_login(manager_a)
    page = client.get(reverse("accounts:invitation_list"))
    section = page.text.split('id="activations"')[1]
    assert "Trần Thị Lan" in section and "CĐCS Công ty May Ba Đình" in section
    client.force_login(manager_b)
    assert 'id="activations"' not in client.get(reverse("accounts:invitation_list")).text


def test_invitation_page_queries_do_not_grow_with_officers_or_activations(
    client, manager_a, tree, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager_a)
    for i in range(2):
        issue(officer(tree["ga"], given_name=f"A{i}"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("accounts:invitation_list")).status_code == 200
    for i in range(12):
        made = officer(tree["ga"], given_name=f"B{i}", email=f"b{i}@example.vn")
        issue(made)
        if i % 2:
            services.activate(code_id=ActivationCode.objects.open().get(officer=made).pk, password=PASSWORD)
    with django_assert_num_queries(len(small)):
        page = client.get(reverse("accounts:invitation_list"))
    assert page.text.count("data-activation-link=") == 8  # 2 + 6 without an account
    assert page.text.split('id="activations"')[1].count("<tr>") == 7  # the header and 6 activations


def test_a_large_unit_is_printed_by_a_worker_job(client, manager_a, tree, settings, tmp_path):
    from accounts.models import ActivationSheet
    from accounts.tasks import build_activation_sheet

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.ACTIVATION_SHEET_INLINE_LIMIT = 3
    for i in range(5):
        officer(tree["ga"], given_name=f"Lớn{i}")
    response = sheet(client, manager_a, "CS-A")
    job = ActivationSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:activation_sheet_status", args=[job.pk]
    )
    page = client.get(response["Location"])
    assert "5 cán bộ chưa có tài khoản" in page.text and "core/js/job-progress.js" in page.text
    assert client.get(response["Location"] + "?format=json").json()["running"] is True
    build_activation_sheet(job.pk)  # what the worker runs
    status = client.get(response["Location"] + "?format=json").json()
    assert status["status"] == "done" and status["download_url"]
    download = client.get(status["download_url"])
    content = b"".join(download.streaming_content)
    codes = GROUPED.findall(pdf_text(content))
    assert len(codes) == 5 and all(services.find_code(c).officer.unit == tree["ga"] for c in codes)
    # Another manager cannot read the file, nor the job.
    client.force_login(UserFactory())
    assert client.get(status["download_url"]).status_code == 404
    job.refresh_from_db()
    assert build_activation_sheet(job.pk) == job.file_path  # a second delivery builds nothing
    assert ActivationCode.objects.count() == 5
