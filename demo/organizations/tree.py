"""Demo roster: Hanoi's union tree with realistic units, and officers with role histories.

Deterministic (a fixed random seed) and idempotent: units and officers are found by their
codes, so a second run creates nothing.
"""

import random
from datetime import date

from core.phones import normalise_phone
from organizations.models import Officer, Role, RoleAssignment, Unit, UnitLevel, UpperKind

from .people import RESERVED_PHONES, person

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
    # A number belongs to one officer; the demo logins' numbers are kept free.
    taken = {normalise_phone(number) for number in RESERVED_PHONES}
    for index, (unit, _roles) in enumerate(plan, start=1):
        officer = Officer(code=f"CB{index:06d}", unit=unit, **person(rng))
        officer.refresh_name_keys()
        officer.normalise_phone()  # bulk_create skips save()
        if not officer.phone.startswith("+"):  # a random 0992… is no number in use: make it 0982…
            officer.phone = normalise_phone("098" + officer.phone[3:])
        if officer.phone in taken:
            officer.phone = ""  # a rare repeat of the random numbers: this officer gave none
        taken.add(officer.phone)
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
