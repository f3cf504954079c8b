import re
import unicodedata

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Invitation
from organizations.models import Officer, Role, RoleAssignment, Unit, UnitLevel


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "organizations",
            "auth",
            "account",
            "mfa",
            "wagtailcore",
            "lms",
            "courses",
            "training",
            "certificates",
            "surveys",
        }
    }


def emails_and_invitations() -> list:
    return list(Officer.objects.order_by("code").values_list("code", "email", "user_id")) + list(
        Invitation.objects.order_by("pk").values_list(
            "officer_id", "email", "key", "expires_at", "accepted_at"
        )
    )


def test_seed_demo_is_realistic_and_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first, first_values = table_counts(), emails_and_invitations()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert table_counts() == first
    assert emails_and_invitations() == first_values

    assert Unit.objects.filter(level=UnitLevel.CITY).count() == 1
    assert Unit.objects.filter(name__contains="Hoàn Kiếm").exists()
    assert Unit.objects.filter(level=UnitLevel.GRASSROOTS).count() >= 200
    assert Unit.objects.filter(level=UnitLevel.GRASSROOTS, worker_count__gte=1000).exists()
    assert Unit.objects.filter(level=UnitLevel.GRASSROOTS, worker_count=1000).exists()
    assert 550 <= Officer.objects.count() <= 750
    for role in Role.values:
        assert RoleAssignment.objects.filter(role=role).exists(), role
    assert RoleAssignment.objects.filter(end_date__isnull=False).exists()


def test_every_demo_login_that_may_open_the_admin_has_two_factor_and_the_learner_not(db):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    from accounts.mfa import needs_two_factor_setup

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    users = {user.email: user for user in get_user_model().objects.filter(email__endswith="@demo.vn")}
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True)
    )
    assert with_totp == {"quanly@demo.vn", "tuyengiao@demo.vn", "bientap@demo.vn"}
    for email in with_totp:
        assert users[email].has_perm("wagtailadmin.access_admin"), email
        assert not needs_two_factor_setup(users[email])
    assert not needs_two_factor_setup(users["hocvien@demo.vn"])


def test_the_demo_editor_publishes_courses_and_the_auditor_keeps_certificate_templates(db):
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    users = {user.email: user for user in get_user_model().objects.filter(email__endswith="@demo.vn")}
    courses = Page.objects.get(depth=2).get_children().first()
    editor_rights = courses.permissions_for_user(users["bientap@demo.vn"])
    assert editor_rights.can_edit() and editor_rights.can_publish()
    auditor = users["tuyengiao@demo.vn"]
    assert auditor.has_perms([f"certificates.{action}_certificatetemplate" for action in ("add", "change")])
    assert not auditor.has_perm("certificates.delete_certificatetemplate")
    assert not users["quanly@demo.vn"].has_perm("certificates.change_certificatetemplate")


def test_demo_officers_have_safe_addresses_and_invitations_in_every_state(db, mailoutbox):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert mailoutbox == []  # invitations are seeded as rows, never e-mailed
    roster = Officer.objects.filter(code__startswith="CB")
    emails = list(roster.exclude(email="").values_list("email", flat=True))
    assert 0.55 <= len(emails) / roster.count() <= 0.85  # most, not all, as on a real roster
    assert len(set(emails)) == len(emails)
    # Reserved domain only (RFC 2606): an invitation from the demo reaches nobody.
    assert all(re.fullmatch(r"[a-z]+[0-9]*@congdoan-hanoi\.example", e) for e in emails), emails[:5]

    # Given name, then the initials of family and middle names, without marks: Đặng Thị Hương → huongdt.
    def plain(text):
        return "".join(c for c in unicodedata.normalize("NFD", text.lower().replace("đ", "d")) if c.isascii())

    for officer in roster.exclude(email=""):
        initials = "".join(plain(word)[0] for word in f"{officer.family_name} {officer.middle_name}".split())
        assert officer.email.split("@")[0].rstrip("0123456789") == plain(officer.given_name) + initials

    now = timezone.now()
    district = Unit.objects.get(code="LDLD-CAUGIAY")
    for scope in (
        Invitation.objects.all(),
        Invitation.objects.filter(officer__unit__path__startswith=district.path),
    ):
        assert scope.pending().filter(sent_at__isnull=False).exists()
        assert scope.filter(accepted_at__isnull=True, expires_at__lte=now).exists()
        accepted = scope.filter(accepted_at__isnull=False).select_related("officer__user")
        assert accepted.exists()
        for invitation in accepted:  # linked: the officer's account is the invited address
            assert invitation.officer.user.email == invitation.email == invitation.officer.email
    assert not Invitation.objects.exclude(officer__code__startswith="CB").exists()
    assert not Invitation.objects.exclude(send_error="").exists()

    # The demo learner is as before: own address and account, never invited.
    learner = Officer.objects.select_related("user").get(code="DEMO-HV")
    assert learner.email == learner.user.email == "hocvien@demo.vn"


def test_the_phone_only_learner_signs_in_with_0900000001_and_is_listed_with_the_personas(db, client):
    import io

    from allauth.account.models import EmailAddress
    from django.urls import reverse

    from demo.organizations import DEMO_PASSWORD
    from training.audit.rules import required_assignments, requirements_for
    from training.models import RequirementTarget

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert re.search(r"phone learner\s+0900000001", out.getvalue())
    officer = Officer.objects.select_related("user", "unit").get(phone="+84900000001")
    assert officer.email == "" and officer.user.email == ""
    assert not EmailAddress.objects.filter(user=officer.user).exists()
    assert officer.unit.level == UnitLevel.GRASSROOTS
    assert officer.unit.path.startswith(Unit.objects.get(code="LDLD-CAUGIAY").path)
    assert officer.roles.filter(role=Role.PROPAGANDIST, end_date__isnull=True).exists()
    # Program 09 requires them to be trained this year (target 2, the communication corps).
    corps = requirements_for(timezone.localdate().year)[RequirementTarget.CORPS]
    assert required_assignments(corps).filter(officer=officer).exists()
    response = client.post(reverse("account_login"), {"login": "0900000001", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("learn:dashboard")).status_code == 200


def test_demo_phones_are_stored_in_one_format_and_belong_to_one_officer_each(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    phones = [p for p in Officer.objects.values_list("phone", flat=True) if p]
    assert len(phones) > 500
    assert all(re.fullmatch(r"\+849\d{8}", phone) for phone in phones), phones[:5]
    assert len(phones) == len(set(phones))
