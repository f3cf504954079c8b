from django.apps import apps
from django.core.management import call_command

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


def test_seed_demo_is_realistic_and_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = table_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert table_counts() == first

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

    from lms.accounts import needs_two_factor_setup

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
