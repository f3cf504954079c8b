"""Demo roster: Hanoi's union tree with realistic units, officers and role histories.

Deterministic (a fixed random seed) and idempotent: units and officers are found
by their codes, so a second run creates nothing.
"""

import random
import secrets
import unicodedata
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from organizations.groups import ensure_groups
from organizations.models import Gender, Invitation, Officer, Role, RoleAssignment, Unit, UnitLevel, UpperKind

DEMO_PASSWORD = "HocTap@2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DISTRICTS = [
    ("BADINH", "Ba Đình"),
    ("HOANKIEM", "Hoàn Kiếm"),
    ("TAYHO", "Tây Hồ"),
    ("LONGBIEN", "Long Biên"),
    ("CAUGIAY", "Cầu Giấy"),
    ("DONGDA", "Đống Đa"),
    ("HAIBATRUNG", "Hai Bà Trưng"),
    ("HOANGMAI", "Hoàng Mai"),
    ("THANHXUAN", "Thanh Xuân"),
    ("NAMTULIEM", "Nam Từ Liêm"),
    ("BACTULIEM", "Bắc Từ Liêm"),
    ("HADONG", "Hà Đông"),
    ("SONTAY", "Sơn Tây"),
    ("BAVI", "Ba Vì"),
    ("CHUONGMY", "Chương Mỹ"),
    ("DANPHUONG", "Đan Phượng"),
    ("DONGANH", "Đông Anh"),
    ("GIALAM", "Gia Lâm"),
    ("HOAIDUC", "Hoài Đức"),
    ("MELINH", "Mê Linh"),
    ("MYDUC", "Mỹ Đức"),
    ("PHUXUYEN", "Phú Xuyên"),
    ("PHUCTHO", "Phúc Thọ"),
    ("QUOCOAI", "Quốc Oai"),
    ("SOCSON", "Sóc Sơn"),
    ("THACHTHAT", "Thạch Thất"),
    ("THANHOAI", "Thanh Oai"),
    ("THANHTRI", "Thanh Trì"),
    ("THUONGTIN", "Thường Tín"),
    ("UNGHOA", "Ứng Hòa"),
]
URBAN = {
    "BADINH",
    "HOANKIEM",
    "TAYHO",
    "LONGBIEN",
    "CAUGIAY",
    "DONGDA",
    "HAIBATRUNG",
    "HOANGMAI",
    "THANHXUAN",
    "NAMTULIEM",
    "BACTULIEM",
    "HADONG",
}
OTHER_UPPER = [
    ("CDN-GIAODUC", "Công đoàn ngành Giáo dục Hà Nội", UpperKind.INDUSTRY),
    ("CDN-YTE", "Công đoàn ngành Y tế Hà Nội", UpperKind.INDUSTRY),
    ("CDN-XAYDUNG", "Công đoàn ngành Xây dựng Hà Nội", UpperKind.INDUSTRY),
    ("CDN-GTVT", "Công đoàn ngành Giao thông vận tải Hà Nội", UpperKind.INDUSTRY),
    ("CDN-CONGTHUONG", "Công đoàn ngành Công Thương Hà Nội", UpperKind.INDUSTRY),
    ("CD-KCN", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội", UpperKind.INDUSTRIAL_ZONE),
    ("CD-CNC-HOALAC", "Công đoàn Khu công nghệ cao Hòa Lạc", UpperKind.INDUSTRIAL_ZONE),
    ("CDTCT-VANTAI", "Công đoàn Tổng công ty Vận tải Hà Nội", UpperKind.CORPORATION),
    ("CDTCT-DULICH", "Công đoàn Tổng công ty Du lịch Hà Nội", UpperKind.CORPORATION),
]

FAMILY = (
    ["Nguyễn"] * 9
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + [
        "Hoàng",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Trịnh",
        "Lương",
    ]
)
MIDDLE = {
    Gender.MALE: ["Văn", "Đức", "Minh", "Quang", "Hữu", "Mạnh", "Tuấn", "Xuân", "Công", "Thành"],
    Gender.FEMALE: ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Hồng", "Thùy", "Thị Thu", "Bích"],
}
GIVEN = {
    Gender.MALE: [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hùng",
        "Huy",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Trung",
        "Tuấn",
        "Việt",
        "Hiếu",
        "Tùng",
        "Lâm",
        "Đông",
    ],
    Gender.FEMALE: [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngọc",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Yến",
        "Vân",
        "Loan",
        "Huyền",
        "Oanh",
    ],
}
EMPLOYERS = [
    ("Công ty TNHH Điện tử {place}", 300, 6000),
    ("Công ty Cổ phần May {place}", 200, 3500),
    ("Công ty TNHH Cơ khí chính xác {place}", 80, 1500),
    ("Công ty Cổ phần Thực phẩm {place}", 60, 1200),
    ("Trường THCS {place}", 40, 110),
    ("Trường Tiểu học {place}", 35, 90),
    ("Trường Mầm non {place}", 25, 70),
    ("Bệnh viện Đa khoa {place}", 250, 1400),
    ("Trung tâm Y tế {place}", 60, 180),
    ("Ủy ban nhân dân phường {place}", 25, 60),
    ("Công ty Cổ phần Xây dựng {place}", 100, 1100),
    ("Hợp tác xã Dịch vụ {place}", 20, 80),
    ("Công ty TNHH Linh kiện ô tô {place}", 400, 4200),
]
PLACES = [
    "Thăng Long",
    "Hồng Hà",
    "Sông Đà",
    "Tây Hồ",
    "Kim Liên",
    "Nghĩa Đô",
    "Trung Hòa",
    "Định Công",
    "Phúc La",
    "Văn Quán",
    "Mỹ Đình",
    "Yên Hòa",
    "Quang Minh",
    "Nội Bài",
    "Bắc Thăng Long",
    "Phú Nghĩa",
    "Thạch Bàn",
    "Việt Hưng",
    "Khương Đình",
    "Láng Hạ",
    "Cổ Loa",
    "Xuân Đỉnh",
]


def _person(rng: random.Random) -> dict:
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    return {
        "family_name": rng.choice(FAMILY),
        "middle_name": rng.choice(MIDDLE[gender]),
        "given_name": rng.choice(GIVEN[gender]),
        "gender": gender,
        "date_of_birth": date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        "phone": "09" + "".join(str(rng.randint(0, 9)) for _ in range(8)),
    }


def _district_word(code: str) -> str:
    if code in URBAN:
        return "quận"
    return "thị xã" if code == "SONTAY" else "huyện"


def _unit(parent: Unit | None, **fields) -> Unit:
    existing = Unit.objects.filter(code=fields["code"]).first()
    if existing:
        return existing
    if parent is None:
        return Unit.add_root(**fields)
    parent.refresh_from_db()
    return parent.add_child(**fields)


def build_tree(rng: random.Random) -> dict[str, list[Unit]]:
    city = _unit(
        None, code="LDLD-HN", name="Liên đoàn Lao động thành phố Hà Nội", level=UnitLevel.CITY, worker_count=0
    )
    uppers = [
        _unit(
            city,
            code=f"LDLD-{code}",
            name=f"Liên đoàn Lao động {_district_word(code)} {name}",
            level=UnitLevel.UPPER,
            kind=UpperKind.DISTRICT,
        )
        for code, name in DISTRICTS
    ] + [
        _unit(city, code=code, name=name, level=UnitLevel.UPPER, kind=kind)
        for code, name, kind in OTHER_UPPER
    ]
    grassroots = []
    for index in range(200):
        parent = (
            uppers[index % len(uppers)]
            if index < 160
            else rng.choice(
                [
                    u
                    for u in uppers
                    if u.kind in (UpperKind.INDUSTRIAL_ZONE, UpperKind.INDUSTRY, UpperKind.CORPORATION)
                ]
            )
        )
        template, low, high = rng.choice(EMPLOYERS)
        workers = rng.randint(low, high)
        if index % 9 == 0:
            workers = 1000  # exactly at the threshold, which counts as large
        code = f"CS-{index + 1:04d}"
        grassroots.append(
            _unit(
                parent,
                code=code,
                name=f"Công đoàn cơ sở {template.format(place=rng.choice(PLACES))} ({code})",
                level=UnitLevel.GRASSROOTS,
                worker_count=workers,
            )
        )
    return {"city": [city], "upper": uppers, "grassroots": grassroots}


def build_officers(rng: random.Random, tree: dict[str, list[Unit]]) -> list[Officer]:
    """About 600 officers with roles; only created on the first run."""
    if Officer.objects.filter(code__startswith="CB").exists():
        return list(Officer.objects.filter(code__startswith="CB"))
    plan: list[tuple[Unit, list[str]]] = []
    for _ in range(6):
        plan.append((tree["city"][0], [Role.PROPAGANDA_OFFICER]))
    for upper in tree["upper"]:
        plan.append((upper, [Role.PROPAGANDA_OFFICER, Role.UNIT_MANAGER]))
        plan.append((upper, [Role.PROPAGANDA_OFFICER]))
        plan.append((upper, [Role.REPORTER]))
        if rng.random() > 0.15:  # some upper-level unions lack a propagandist
            plan.append((upper, [Role.PROPAGANDIST]))
        plan.append((upper, [Role.OPINION_COLLABORATOR]))
    for unit in tree["grassroots"]:
        plan.append((unit, [Role.GRASSROOTS_CHAIR]))
        propagandists = 1 if unit.worker_count >= 1000 and rng.random() > 0.2 else rng.choice([0, 0, 1])
        plan.extend((unit, [Role.PROPAGANDIST]) for _ in range(propagandists))
        if unit.worker_count >= 300 and rng.random() > 0.5:
            plan.append((unit, [Role.REPORTER]))
        if rng.random() > 0.6:
            plan.append((unit, [Role.OPINION_COLLABORATOR]))
    officers = []
    for index, (unit, _roles) in enumerate(plan, start=1):
        officer = Officer(code=f"CB{index:06d}", unit=unit, **_person(rng))
        officer.refresh_name_keys()
        officers.append(officer)
    Officer.objects.bulk_create(officers)
    officers = list(Officer.objects.filter(code__startswith="CB").order_by("code"))
    assignments = []
    for officer, (unit, roles) in zip(officers, plan, strict=True):
        start = date(rng.choice([2019, 2021, 2023, 2024, 2025]), rng.randint(1, 12), 1)
        for role in roles:
            assignments.append(RoleAssignment(officer=officer, role=role, unit=unit, start_date=start))
        if rng.random() < 0.08:  # history: a role held earlier and since closed
            assignments.append(
                RoleAssignment(
                    officer=officer,
                    role=Role.OPINION_COLLABORATOR,
                    unit=unit,
                    start_date=date(2018, 3, 1),
                    end_date=date(2022, 12, 31),
                )
            )
    RoleAssignment.objects.bulk_create(assignments)
    return officers


def _demo_user(email: str, first_name: str, last_name: str):
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
    """One login per persona, linked to an officer. Returns (persona, e-mail) pairs."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    groups = ensure_groups()
    large = next(u for u in tree["grassroots"] if u.worker_count >= 1000)
    cau_giay = Unit.objects.get(code="LDLD-CAUGIAY")
    city = tree["city"][0]

    learner = _demo_user("hocvien@demo.vn", "Mai", "Nguyễn Thị")
    officer, _ = Officer.objects.get_or_create(
        code="DEMO-HV",
        defaults=dict(
            family_name="Nguyễn",
            middle_name="Thị",
            given_name="Mai",
            gender=Gender.FEMALE,
            date_of_birth=date(1992, 5, 14),
            email="hocvien@demo.vn",
            phone="0912345678",
            unit=large,
            user=learner,
        ),
    )
    RoleAssignment.objects.get_or_create(
        officer=officer, role=Role.PROPAGANDIST, unit=large, defaults={"start_date": date(2024, 1, 1)}
    )

    manager = _demo_user("quanly@demo.vn", "Hùng", "Trần Văn")
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

    auditor = _demo_user("tuyengiao@demo.vn", "Lan", "Phạm Thị")
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

    editor = _demo_user("bientap@demo.vn", "Dũng", "Lê Quang")
    # Wagtail's Moderators (made by its migrations) may also publish: the demo editor authors
    # and publishes courses, surveys and their submissions without a second persona.
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    # Everyone who may open the Wagtail admin must use two-factor; the demo's share one secret.
    for user in (manager, auditor, editor):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return [
        ("learner", "hocvien@demo.vn"),
        ("unit manager", "quanly@demo.vn"),
        ("auditor", "tuyengiao@demo.vn"),
        ("editor", "bientap@demo.vn"),
    ]


# Officers' own addresses live under the reserved .example top-level domain (RFC 2606): no
# invitation sent from a demo can reach anyone.
OFFICER_EMAIL_DOMAIN = "congdoan-hanoi.example"
OFFICER_EMAIL_SHARE = 0.7  # rosters in the field lack an e-mail for about a third of officers


def _ascii(text: str) -> str:
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if c.isascii() and c.isalpha())


def demo_officer_emails(officers: list[Officer]) -> dict[int, str]:
    """The e-mail each demo officer has (by pk), the way Vietnamese offices make them.

    Given name then the initials of family and middle names (Trần Văn Hùng → hungtv), a number
    on a repeat. Who has one is drawn from the officer's code, so the answer never depends on
    the database's state or on the order of the other random draws.
    """
    emails, taken = {}, {}
    for officer in sorted(officers, key=lambda o: o.code):
        if random.Random(officer.code).random() >= OFFICER_EMAIL_SHARE:
            continue
        initials = "".join(
            _ascii(word)[:1] for word in f"{officer.family_name} {officer.middle_name}".split()
        )
        local = _ascii(officer.given_name) + initials
        taken[local] = taken.get(local, 0) + 1
        suffix = str(taken[local]) if taken[local] > 1 else ""
        emails[officer.pk] = f"{local}{suffix}@{OFFICER_EMAIL_DOMAIN}"
    return emails


def give_officers_emails(officers: list[Officer]) -> None:
    """Fill in the demo e-mails of officers who have none (a second run finds nothing to do)."""
    emails = demo_officer_emails(officers)
    missing = [o for o in officers if not o.email and o.pk in emails]
    for officer in missing:
        officer.email = emails[officer.pk]
    Officer.objects.bulk_update(missing, ["email"], batch_size=500)


# (pending, expired, accepted) invitations in the manager's district and elsewhere.
INVITATION_MIX = {"LDLD-CAUGIAY": (4, 2, 2), None: (8, 4, 4)}


def build_invitations() -> None:
    """Invitations in each state, so the invitation page shows what a running system has.

    Made as rows (no e-mail is sent); an officer who already has an invitation or an account is
    left alone, so a second run changes nothing. An accepted one has its account, linked.
    """
    from organizations.services import invitation_lifetime

    users = {
        u.email: u for u in get_user_model().objects.filter(email__in=["quanly@demo.vn", "tuyengiao@demo.vn"])
    }
    now = timezone.now()
    for district_code, (pending, expired, accepted) in INVITATION_MIX.items():
        officers = Officer.objects.filter(code__startswith="CB").exclude(email="").order_by("code")
        if district_code:
            district = Unit.objects.get(code=district_code)
            officers = officers.filter(unit__path__startswith=district.path)
            inviter = users["quanly@demo.vn"]
        else:
            district = Unit.objects.get(code="LDLD-CAUGIAY")
            officers = officers.exclude(unit__path__startswith=district.path)[::25]
            inviter = users["tuyengiao@demo.vn"]
        states = ["pending"] * pending + ["expired"] * expired + ["accepted"] * accepted
        for number, (officer, state) in enumerate(zip(officers, states, strict=False)):
            if officer.invitations.exists() or officer.user_id:
                continue
            created = now - timedelta(days={"pending": 3, "expired": 30, "accepted": 20}[state] + number % 3)
            invitation = Invitation.objects.create(
                officer=officer,
                email=officer.email,
                key=secrets.token_urlsafe(32),
                invited_by=inviter,
                expires_at=created + invitation_lifetime(),
                issued_at=created,
                sent_at=created,
                send_count=1,
            )
            fields = {"created_at": created}
            if state == "accepted":
                officer.user = _demo_user(
                    officer.email, officer.given_name, f"{officer.family_name} {officer.middle_name}"
                )
                officer.save(update_fields=["user"])
                fields["accepted_at"] = created + timedelta(hours=26)
            Invitation.objects.filter(pk=invitation.pk).update(**fields)


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    rng = random.Random(2026)
    tree = build_tree(rng)
    give_officers_emails(build_officers(rng, tree))
    logins = build_demo_logins(tree)
    build_invitations()
    return logins
