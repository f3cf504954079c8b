"""Officers sign in with the phone number on the roster (any usual format) or their e-mail."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from organizations.models import Role
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UserFactory

PASSWORD = "Secret-pass-123"


def phone_user(username):
    """An account without any e-mail address, as officers who sign in by phone have."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, email="", password=PASSWORD)


@pytest.fixture
def phone_learner(tree):
    """An officer who signs in with their phone: an account without an e-mail address."""
    user = phone_user("phone-0912345678")
    OfficerFactory(unit=tree["ga"], user=user, email="", phone="0912 345 678", given_name="Hoa")
    return user


def sign_in(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "0912345678"]
)
def test_sign_in_with_the_roster_phone_in_any_format(client, phone_learner, typed):
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert client.get("/").context["user"] == phone_learner


def test_sign_in_by_email_still_works_for_an_officer_with_both(client, tree):
    user = UserFactory(email="mai@example.vn")
    OfficerFactory(unit=tree["ga"], user=user, email="mai@example.vn", phone="0987654321")
    assert sign_in(client, "mai@example.vn").status_code == 302
    client.logout()
    assert sign_in(client, "0987 654 321").status_code == 302
    assert client.get("/").context["user"] == user


def test_wrong_password_or_unknown_phone_is_refused_in_vietnamese(client, phone_learner):
    for login, password in (("0912345678", "wrong"), ("0999 999 999", PASSWORD)):
        response = sign_in(client, login, password)
        assert response.status_code == 200
        assert "Số điện thoại hoặc mật khẩu không đúng." in response.text
        assert not response.wsgi_request.user.is_authenticated


def test_a_phone_of_an_officer_without_an_account_signs_nobody_in(client, tree):
    OfficerFactory(unit=tree["ga"], phone="0977000111")  # no account yet
    response = sign_in(client, "0977000111")
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_failed_phone_sign_ins_are_counted_per_number(client, phone_learner, tree):
    # allauth counts failures per e-mail; without its own counter every phone would share one.
    other = phone_user("phone-other")
    OfficerFactory(unit=tree["ga"], user=other, email="", phone="0933000222")
    for _ in range(5):
        sign_in(client, "0912 345 678", "wrong")
    limited = sign_in(client, "0912345678")  # right password, any format: still held back
    assert "Quá nhiều lần đăng nhập sai" in limited.text
    assert not limited.wsgi_request.user.is_authenticated
    # Another number, from another address (the per-address limit holds this one): not held back.
    from django.test import Client

    assert sign_in(Client(REMOTE_ADDR="10.0.0.7"), "0933 000 222").status_code == 302


def test_the_sign_in_form_asks_for_a_phone_number_or_email(client, db):
    page = client.get(reverse("account_login")).text
    assert "Số điện thoại hoặc e-mail" in page
    assert 'type="email"' not in page  # a phone number must be typeable
    assert reverse("password_reset_code") in page


def test_staff_signing_in_by_phone_still_meet_the_totp_step(client, tree, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    manager = phone_user("phone-manager")
    officer = OfficerFactory(unit=tree["a"], user=manager, email="", phone="0944000444")
    RoleAssignmentFactory(officer=officer, unit=tree["a"], role=Role.UNIT_MANAGER)
    TOTP.activate(manager, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = sign_in(client, "0944 000 444")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not client.get("/roster/officers/").wsgi_request.user.is_authenticated  # not before the code

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get("/roster/officers/").status_code == 200


def test_the_adapter_reads_the_phone_from_the_officer(phone_learner):
    from allauth.account.adapter import get_adapter

    adapter = get_adapter()
    assert adapter.get_phone(phone_learner) == ("+84912345678", True)
    assert adapter.get_user_by_phone("0912.345.678") == phone_learner
    assert adapter.get_user_by_phone("12345") is None
    assert adapter.get_phone(UserFactory(email="staff@example.vn")) is None  # no officer, no phone
