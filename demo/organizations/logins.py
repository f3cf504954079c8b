"""Demo logins: one per persona (learner, unit manager, auditor, editor), each linked to an officer."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from organizations.groups import ensure_groups
from organizations.models import Gender, Officer, Role, RoleAssignment, Unit, UnitLevel

from .people import LEARNER_PHONE, PHONE_LEARNER_PHONE

DEMO_PASSWORD = "HocTap@2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def demo_user(email: str, first_name: str, last_name: str):
    """The account of a demo address, with the demo password and the address verified; made once."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def build_demo_logins(tree: dict[str, list[Unit]]) -> list[tuple[str, str]]:
    """One login per persona, linked to an officer. Returns (persona, sign-in name) pairs: an
    e-mail address, or the phone number of the learner who has none."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    groups = ensure_groups()
    large = next(u for u in tree["grassroots"] if u.worker_count >= 1000)
    cau_giay = Unit.objects.get(code="LDLD-CAUGIAY")
    city = tree["city"][0]

    learner = demo_user("hocvien@demo.vn", "Mai", "Nguyễn Thị")
    officer, _ = Officer.objects.get_or_create(
        code="DEMO-HV",
        defaults=dict(
            family_name="Nguyễn",
            middle_name="Thị",
            given_name="Mai",
            gender=Gender.FEMALE,
            date_of_birth=date(1992, 5, 14),
            email="hocvien@demo.vn",
            phone=LEARNER_PHONE,
            unit=large,
            user=learner,
        ),
    )
    RoleAssignment.objects.get_or_create(
        officer=officer, role=Role.PROPAGANDIST, unit=large, defaults={"start_date": date(2024, 1, 1)}
    )

    # A learner with only a phone number, as many grassroots officers are: no e-mail address at all.
    # A propagandist (trained every year under Program 09) at a grassroots union of Cầu Giấy, so
    # the demo manager sees them on the roster.
    phone_user, created = get_user_model().objects.get_or_create(
        username=PHONE_LEARNER_PHONE, defaults={"email": "", "first_name": "Toàn", "last_name": "Đỗ Văn"}
    )
    if created:
        phone_user.set_password(DEMO_PASSWORD)
        phone_user.save()
    grassroots = (
        Unit.objects.filter(path__startswith=cau_giay.path, level=UnitLevel.GRASSROOTS)
        .order_by("code")
        .first()
    )
    officer, _ = Officer.objects.get_or_create(
        code="DEMO-DT",
        defaults=dict(
            family_name="Đỗ",
            middle_name="Văn",
            given_name="Toàn",
            gender=Gender.MALE,
            date_of_birth=date(1988, 7, 21),
            email="",
            phone=PHONE_LEARNER_PHONE,
            unit=grassroots,
            user=phone_user,
        ),
    )
    RoleAssignment.objects.get_or_create(
        officer=officer, role=Role.PROPAGANDIST, unit=grassroots, defaults={"start_date": date(2024, 1, 1)}
    )

    manager = demo_user("quanly@demo.vn", "Hùng", "Trần Văn")
    officer, _ = Officer.objects.get_or_create(
        code="DEMO-QL",
        defaults=dict(
            family_name="Trần",
            middle_name="Văn",
            given_name="Hùng",
            gender=Gender.MALE,
            date_of_birth=date(1980, 9, 2),
            email="quanly@demo.vn",
            unit=cau_giay,
            user=manager,
        ),
    )
    RoleAssignment.objects.get_or_create(
        officer=officer, role=Role.UNIT_MANAGER, unit=cau_giay, defaults={"start_date": date(2023, 1, 1)}
    )
    manager.groups.add(groups["managers"])

    auditor = demo_user("tuyengiao@demo.vn", "Lan", "Phạm Thị")
    officer, _ = Officer.objects.get_or_create(
        code="DEMO-TG",
        defaults=dict(
            family_name="Phạm",
            middle_name="Thị",
            given_name="Lan",
            gender=Gender.FEMALE,
            date_of_birth=date(1978, 3, 8),
            email="tuyengiao@demo.vn",
            unit=city,
            user=auditor,
        ),
    )
    RoleAssignment.objects.get_or_create(
        officer=officer, role=Role.PROPAGANDA_OFFICER, unit=city, defaults={"start_date": date(2020, 1, 1)}
    )
    auditor.groups.add(groups["auditors"])

    editor = demo_user("bientap@demo.vn", "Dũng", "Lê Quang")
    # Wagtail's Moderators (made by its migrations) may also publish: the demo editor authors
    # and publishes courses, surveys and their submissions without a second persona.
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    # Everyone who may open the Wagtail admin must use two-factor; the demo's share one secret.
    for user in (manager, auditor, editor):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return [
        ("learner", "hocvien@demo.vn"),
        ("phone learner", PHONE_LEARNER_PHONE),
        ("unit manager", "quanly@demo.vn"),
        ("auditor", "tuyengiao@demo.vn"),
        ("editor", "bientap@demo.vn"),
    ]
