import pytest
from django.core import mail
from django.urls import reverse

from organizations.tests.factories import UserFactory


def test_sign_in_with_email_and_password(client, db):
    UserFactory(email="mai@example.vn")
    response = client.post(
        reverse("account_login"), {"login": "mai@example.vn", "password": "Secret-pass-123"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated


def test_wrong_password_is_refused_in_vietnamese(client, db):
    UserFactory(email="mai@example.vn")
    response = client.post(reverse("account_login"), {"login": "mai@example.vn", "password": "wrong"})
    assert response.status_code == 200
    assert "không đúng" in response.text


def test_login_rate_limit(client, db):
    UserFactory(email="mai@example.vn")
    limited = []
    for _ in range(6):
        response = client.post(reverse("account_login"), {"login": "mai@example.vn", "password": "wrong"})
        limited.append("Quá nhiều lần đăng nhập sai" in response.text)
    assert limited[:4] == [False] * 4 and limited[-1] is True
    # After five failures even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "mai@example.vn", "password": "Secret-pass-123"}
    )
    assert "Quá nhiều lần đăng nhập sai" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "signup_closed" in " ".join(t.name for t in response.templates)
    client.post(
        reverse("account_signup"),
        {"email": "x@example.vn", "password1": "Abc-12345-xyz", "password2": "Abc-12345-xyz"},
    )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="x@example.vn").exists()


def test_password_reset_sends_mail(client, db):
    UserFactory(email="mai@example.vn")
    client.post(reverse("account_reset_password"), {"email": "mai@example.vn"})
    assert len(mail.outbox) == 1
    assert "mai@example.vn" in mail.outbox[0].to


def test_auditor_must_set_up_two_factor(client, auditor, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(auditor)
    response = client.get("/roster/officers/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_staff_must_set_up_two_factor_before_the_admin(client, db, settings):
    from organizations.tests.factories import UserFactory

    settings.LMS_REQUIRE_STAFF_MFA = True
    staff = UserFactory(email="staff@example.vn", is_staff=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_auditor_with_totp_passes(client, auditor, settings):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(auditor)
    assert client.get("/roster/officers/").status_code == 200


def test_editors_must_set_up_two_factor_before_the_admin(client, db, settings):
    from django.contrib.auth.models import Group

    from organizations.tests.factories import UserFactory

    settings.LMS_REQUIRE_STAFF_MFA = True
    editor = UserFactory(email="bientap@example.vn")
    editor.groups.add(Group.objects.get(name="Editors"))  # Wagtail's group: may open the admin
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_unit_managers_who_may_open_the_admin_must_set_up_two_factor(client, admin_manager, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(admin_manager)
    response = client.get("/roster/officers/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_a_manager_without_admin_access_must_set_up_two_factor_too(client, manager_a, settings):
    # The role alone shows the subtree's roster (officers' personal data) and its audit.
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(manager_a)
    response = client.get("/roster/officers/")
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_learner_needs_no_two_factor(client, learner, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(learner)
    assert client.get("/").status_code == 200


def test_the_admin_has_no_sign_in_of_its_own(client, auditor, settings):
    # Wagtail's login form would skip the rate limits and the two-factor step.
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    auditor.set_password("Mat-khau-2026")
    auditor.save()
    TOTP.activate(auditor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == (reverse("account_login") + "?next=%2Fadmin%2F", 302)
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.headers["Location"] == reverse("account_login") + "?next=/admin/pages/"

    response = client.post("/admin/login/", {"username": auditor.email, "password": "Mat-khau-2026"})
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    assert client.get("/admin/password_reset/").status_code == 404


def test_the_admin_account_page_does_not_change_the_email_address(client, admin_auditor):
    """Only /accounts/email/ changes it, confirmed by a link and known to allauth."""
    from allauth.account.models import EmailAddress

    client.force_login(admin_auditor)
    page = client.get("/admin/account/")
    assert page.status_code == 200 and 'name="name_email-email"' not in page.text
    form = {"first_name": "Lan", "last_name": "Trần", "email": "other@example.vn"}
    client.post("/admin/account/", {f"name_email-{name}": value for name, value in form.items()})
    admin_auditor.refresh_from_db()
    assert admin_auditor.email == "auditor@example.vn"
    assert not EmailAddress.objects.filter(email="other@example.vn").exists()


def test_signed_in_without_admin_access_the_admin_says_so_instead_of_looping(client, learner, admin_auditor):
    client.force_login(learner)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) == 1 and response.status_code == 403
    assert "Không có quyền truy cập" in response.text

    # With access, the admin's sign-in address leads on to where they were going, never off-site.
    client.force_login(admin_auditor)
    assert client.get("/admin/login/?next=/admin/pages/").headers["Location"] == "/admin/pages/"
    assert client.get("/admin/login/?next=https://evil.example/").headers["Location"] == "/admin/"


def test_signing_in_to_the_admin_goes_through_two_factor(client, auditor, settings):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    auditor.set_password("Mat-khau-2026")
    auditor.save()
    TOTP.activate(auditor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": auditor.email, "password": "Mat-khau-2026"}
    )
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_the_two_factor_check_costs_one_query_and_is_made_on_every_page(client, auditor, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(auditor)
    with CaptureQueriesContext(connection) as checked:
        assert client.get("/roster/officers/").status_code == 200
    settings.LMS_REQUIRE_STAFF_MFA = False
    with CaptureQueriesContext(connection) as unchecked:
        assert client.get("/roster/officers/").status_code == 200
    # One query for the check, shared with the navigation and the page's own "is this an
    # auditor?": the check adds nothing to what the page costs without it.
    assert len(checked.captured_queries) <= len(unchecked.captured_queries)
    assert len([q for q in checked.captured_queries if "mfa_authenticator" in q["sql"]]) == 1

    settings.LMS_REQUIRE_STAFF_MFA = True
    Authenticator.objects.filter(user=auditor).delete()  # removed by an operator
    response = client.get("/roster/officers/")
    assert response.status_code == 302 and response.headers["Location"] == reverse("mfa_activate_totp")


STAFF_PAGES = ["/admin/", "/roster/officers/", "/audit/"]


def _pages_reached(client) -> dict[str, int]:
    """Each staff page's final status for this session (the admin first redirects to its sign-in)."""
    return {url: client.get(url, follow=True).status_code for url in STAFF_PAGES}


def test_a_learner_made_auditor_must_set_up_two_factor_on_the_next_page(client, learner, settings):
    from django.contrib.auth.models import Group

    from organizations.groups import ensure_groups
    from organizations.scope import AUDITOR_GROUP

    settings.LMS_REQUIRE_STAFF_MFA = True
    ensure_groups()
    client.force_login(learner)
    assert client.get("/learn/").status_code == 200
    assert _pages_reached(client) == {"/admin/": 403, "/roster/officers/": 403, "/audit/": 403}

    learner.groups.add(Group.objects.get(name=AUDITOR_GROUP))  # same session, no new sign-in
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_a_learner_made_unit_manager_must_set_up_two_factor_on_the_next_page(client, learner, tree, settings):
    from datetime import date

    from organizations.groups import ensure_groups
    from organizations.models import Role
    from organizations.tests.factories import RoleAssignmentFactory

    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(learner)
    assert _pages_reached(client) == {"/admin/": 403, "/roster/officers/": 403, "/audit/": 403}

    # The role alone opens the roster and the audit of the unit's subtree.
    officer = learner.officer
    RoleAssignmentFactory(
        officer=officer, unit=tree["a"], role=Role.UNIT_MANAGER, start_date=date(2020, 1, 1)
    )
    for url in ["/roster/officers/", "/audit/", "/learn/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == reverse("mfa_activate_totp")

    # The "Unit managers" group adds the admin: it too is closed until TOTP is set up.
    learner.groups.add(ensure_groups()["managers"])
    response = client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"] == reverse("mfa_activate_totp")


def test_a_closed_manager_role_no_longer_asks_for_two_factor(client, manager_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    from organizations.models import RoleAssignment

    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(manager_a)
    assert client.get("/learn/").status_code == 302
    RoleAssignment.objects.filter(officer__user=manager_a).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    assert client.get("/learn/").status_code == 200
    assert client.get("/roster/officers/").status_code == 403


SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def frozen_clock(monkeypatch):
    """The TOTP clock, and the cache's (used codes expire in it), held in a 30-second step and
    moved by hand."""
    from types import SimpleNamespace

    from allauth.mfa.totp.internal import auth
    from django.core.cache.backends import base, locmem

    clock = SimpleNamespace(now=1_790_000_010.0)
    for module in (auth, base, locmem):
        monkeypatch.setattr(module, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def _code(clock, steps: int = 0) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(SECRET, int(clock.now) // 30 + steps))


def _sign_in_with_code(client, user, code: str):
    from django.conf import settings

    language = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    client.logout()  # clears the cookies: keep the chosen language
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language.value
    response = client.post(reverse("account_login"), {"login": user.email, "password": "Secret-pass-123"})
    assert response.headers["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": code})


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_a_code_from_the_step_before_or_after_is_accepted(client, auditor, settings, frozen_clock, steps):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, SECRET)
    response = _sign_in_with_code(client, auditor, _code(frozen_clock, steps))
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_code_two_steps_old_is_refused(client, auditor, settings, frozen_clock):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, SECRET)
    response = _sign_in_with_code(client, auditor, _code(frozen_clock, -2))
    assert response.status_code == 200 and "Mã không đúng." in response.text
    assert "_auth_user_id" not in client.session


def test_a_code_used_a_moment_ago_is_refused_with_its_own_message(client, auditor, settings, frozen_clock):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, SECRET)
    code = _code(frozen_clock)
    assert _sign_in_with_code(client, auditor, code).status_code == 302

    response = _sign_in_with_code(client, auditor, code)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Mã này vừa được dùng. Hãy chờ ứng dụng xác thực hiện mã tiếp theo" in response.text
    assert "Mã không đúng." not in response.text

    # A step later the code is still within the tolerance: it stays refused, not replayable.
    frozen_clock.now += 31
    response = _sign_in_with_code(client, auditor, code)
    assert "Mã này vừa được dùng" in response.text and "_auth_user_id" not in client.session

    # The next code works; a wrong one still says the code is wrong.
    wrong = "000000" if _code(frozen_clock) != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "Mã không đúng." in response.text and "vừa được dùng" not in response.text
    response = client.post(reverse("mfa_authenticate"), {"code": _code(frozen_clock)})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_used_code_message_in_english(client, auditor, settings, frozen_clock):
    from allauth.mfa.totp.internal.auth import TOTP

    settings.LMS_REQUIRE_STAFF_MFA = True
    TOTP.activate(auditor, SECRET)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    code = _code(frozen_clock)
    _sign_in_with_code(client, auditor, code)
    response = _sign_in_with_code(client, auditor, code)
    assert (
        "This code has just been used. Wait for your authenticator app to show the next code" in response.text
    )


def _sign_in(client, email, **extra):
    return client.post(
        reverse("account_login") + extra.get("query", ""), {"login": email, "password": "Secret-pass-123"}
    )


def test_a_learner_lands_on_their_learning_dashboard(client, db):
    from organizations.tests.factories import OfficerFactory

    OfficerFactory(user=UserFactory(email="lan@example.vn"))
    response = _sign_in(client, "lan@example.vn")
    assert response.status_code == 302 and response.url == reverse("learn:dashboard")
    assert client.get(response.url).status_code == 200


def test_a_next_address_still_wins_over_the_learner_landing(client, db):
    UserFactory(email="lan@example.vn")
    response = _sign_in(client, "lan@example.vn", query="?next=/certificates/")
    assert response.url == "/certificates/"


def test_staff_keep_their_landing_page(client, db, tree):
    from django.test import RequestFactory

    from accounts.adapters import AccountAdapter
    from conftest import make_manager

    manager = make_manager(tree["a"], "quanly@example.vn")
    response = _sign_in(client, "quanly@example.vn")
    # A manager is asked for (or to set up) a second factor first; never sent to /learn/.
    assert response.status_code == 302 and response.url != reverse("learn:dashboard")
    # Once past it, where the adapter sends them: the home page, as before.
    request = RequestFactory().get("/")
    request.user = manager
    assert AccountAdapter(request).get_login_redirect_url(request) == "/"
