"""Forgotten password by phone: a unit manager issues a code, the officer uses it once."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import PasswordResetCode
from accounts.reset_codes import canonical, issue_reset_code
from organizations.tests.factories import OfficerFactory

NEW_PASSWORD = "Mat-khau-moi-2026"
CODE = re.compile(r'<p class="reset-code" id="reset-code">([0-9A-Z]{4}-[0-9A-Z]{4})</p>')


@pytest.fixture
def officer(tree):
    """An officer of district A's grassroots union who signs in with their phone (no e-mail)."""
    user = get_user_model().objects.create_user(
        username="phone-0912345678", email="", password="Old-pass-123"
    )
    return OfficerFactory(unit=tree["ga"], user=user, email="", phone="0912 345 678", given_name="Hoa")


def issue(client, officer) -> str:
    response = client.post(reverse("accounts:officer_reset_code", args=[officer.pk]))
    assert response.status_code == 200
    return CODE.search(response.text).group(1)


def use(client, code, phone="0912 345 678", password=NEW_PASSWORD, again=None):
    return client.post(
        reverse("password_reset_code"),
        {"phone": phone, "code": code, "password1": password, "password2": again or password},
    )


def test_a_manager_issues_a_code_shown_once_and_the_officer_uses_it_to_sign_in(client, manager_a, officer):
    client.force_login(manager_a)
    detail = client.get(reverse("organizations:officer_detail", args=[officer.pk])).text
    assert reverse("accounts:officer_reset_code", args=[officer.pk]) in detail
    code = issue(client, officer)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)  # no I, L, O, U
    row = PasswordResetCode.objects.get(officer=officer)
    assert code.replace("-", "") not in row.code_hash  # stored hashed only
    assert row.issued_by == manager_a
    # Shown once: the page's history says who issued it and when, never the code again.
    history = client.get(reverse("accounts:officer_reset_code", args=[officer.pk])).text
    assert code not in history and "Dùng được đến" in history and manager_a.officer.full_name in history

    client.logout()
    # Typed in lower case with a space, as read out over the phone.
    response = use(client, code.lower().replace("-", " "), phone="+84 912 345 678")
    assert response.status_code == 302 and response.headers["Location"] == reverse("learn:dashboard")
    assert client.get(reverse("learn:dashboard")).wsgi_request.user == officer.user
    officer.user.refresh_from_db()
    assert officer.user.check_password(NEW_PASSWORD)
    client.logout()
    assert (
        client.post(reverse("account_login"), {"login": "0912345678", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_page_for_phone_users_is_linked_from_sign_in_and_speaks_vietnamese(client, db):
    page = client.get(reverse("password_reset_code")).text
    for phrase in (
        "Quên mật khẩu?",
        "Số điện thoại",
        "Mã do cán bộ quản lý đơn vị cấp",
        "Nhập lại mật khẩu mới",
    ):
        assert phrase in page
    assert reverse("account_reset_password") in page  # e-mail users are sent to their link


def test_a_used_code_is_refused(client, officer, manager_a):
    code = issue_reset_code(officer, issued_by=manager_a)
    assert use(client, code).status_code == 302
    client.logout()
    response = use(client, code, password="Another-pass-2026")
    assert response.status_code == 200
    assert "Mã này đã được dùng." in response.text
    officer.user.refresh_from_db()
    assert officer.user.check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused(client, officer, manager_a):
    code = issue_reset_code(officer, issued_by=manager_a)
    PasswordResetCode.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    response = use(client, code)
    assert "Mã này đã hết hạn" in response.text
    officer.user.refresh_from_db()
    assert officer.user.check_password("Old-pass-123")
    PasswordResetCode.objects.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))
    assert use(client, code).status_code == 302  # still within its 24 hours


def test_a_new_code_supersedes_the_old_one(client, officer, manager_a, auditor):
    old = issue_reset_code(officer, issued_by=manager_a)
    new = issue_reset_code(officer, issued_by=auditor)
    assert old != new
    response = use(client, old)
    assert "Đã có mã mới hơn được cấp sau mã này" in response.text
    assert use(client, new).status_code == 302
    assert PasswordResetCode.objects.filter(officer=officer, superseded_at__isnull=False).count() == 1


def test_a_wrong_code_or_a_code_with_another_phone_says_only_that_they_do_not_go_together(
    client, officer, manager_a, tree
):
    code = issue_reset_code(officer, issued_by=manager_a)
    other_user = get_user_model().objects.create_user(
        username="phone-other", email="", password="x-Old-pass-1"
    )
    OfficerFactory(unit=tree["gb"], user=other_user, email="", phone="0933000333")
    wrong = "Số điện thoại và mã không khớp nhau."
    for phone, typed in (
        ("0912345678", "ABCD-EFGH"),
        ("0933 000 333", code),
        ("0999999999", code),
        ("12", code),
    ):
        response = use(client, typed, phone=phone)
        assert response.status_code == 200
        assert wrong in response.text or "không phải số điện thoại" in response.text
        assert "Hoa" not in response.text
    assert not PasswordResetCode.objects.filter(used_at__isnull=False).exists()


def test_the_new_password_follows_the_password_rules_without_using_up_the_code(client, officer, manager_a):
    code = issue_reset_code(officer, issued_by=manager_a)
    assert "Hai mật khẩu không giống nhau." in use(client, code, again="Something-else-2026").text
    assert use(client, code, password="123").status_code == 200  # too short, all digits
    assert use(client, code).status_code == 302


def test_ten_wrong_tries_an_hour_per_phone_and_per_address_then_429(client, officer, manager_a):
    code = issue_reset_code(officer, issued_by=manager_a)
    statuses = [use(client, "ZZZZ-ZZZZ").status_code for _ in range(10)]
    assert statuses == [200] * 10
    response = use(client, code)  # even the right code, while the limit holds
    assert response.status_code == 429
    assert "Nhập sai mã quá nhiều lần" in response.text
    # Another client address, same phone: still held back (the phone's own counter).
    assert use(client, code, phone="0912.345.678").status_code == 429
    other = client_from("10.0.0.9")
    assert (
        other.post(
            reverse("password_reset_code"),
            {"phone": "0912345678", "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ).status_code
        == 429
    )


def test_ten_wrong_tries_from_one_address_hold_back_every_phone(client, officer, manager_a):
    code = issue_reset_code(officer, issued_by=manager_a)
    for n in range(10):
        use(client, "ZZZZ-ZZZZ", phone=f"09120000{n:02d}")
    assert use(client, code).status_code == 429
    assert (
        client_from("10.0.0.9")
        .post(
            reverse("password_reset_code"),
            {"phone": "0912345678", "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        .status_code
        == 302
    )  # another address, with the right code


def client_from(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_a_manager_cannot_issue_a_code_for_another_districts_officer(client, manager_a, tree):
    user = get_user_model().objects.create_user(username="phone-b", email="", password="Old-pass-123")
    outside = OfficerFactory(unit=tree["gb"], user=user, email="", phone="0955000555")
    client.force_login(manager_a)
    assert client.post(reverse("accounts:officer_reset_code", args=[outside.pk])).status_code == 404
    assert client.get(reverse("accounts:officer_reset_code", args=[outside.pk])).status_code == 404
    assert not PasswordResetCode.objects.exists()


def test_a_learner_cannot_issue_codes(client, learner, officer):
    client.force_login(learner)
    assert client.post(reverse("accounts:officer_reset_code", args=[officer.pk])).status_code in (403, 404)
    assert not PasswordResetCode.objects.exists()


def test_the_auditor_issues_for_anyone_and_the_units_managers_see_who_did(
    client, auditor, manager_a, officer
):
    client.force_login(auditor)
    issue(client, officer)
    client.force_login(manager_a)
    history = client.get(reverse("accounts:officer_reset_code", args=[officer.pk])).text
    assert auditor.email in history and "Các mã đã cấp" in history


def test_an_officer_without_an_account_gets_no_code(client, manager_a, tree):
    no_account = OfficerFactory(unit=tree["ga"], phone="0966000666")
    client.force_login(manager_a)
    page = client.post(reverse("accounts:officer_reset_code", args=[no_account.pk])).text
    assert "chưa có tài khoản" in page and not CODE.search(page)
    assert not PasswordResetCode.objects.exists()


def test_codes_are_read_leniently():
    assert canonical("7kq2 m9xd") == canonical("7KQ2-M9XD") == "7KQ2M9XD"
    assert canonical("1oi1-LLoo") == "10111100"  # I and L read as 1, O as 0
    assert canonical("7KQ2-M9X") is None and canonical("UUUU-UUUU") is None
