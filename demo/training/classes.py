"""Demo in-person classes with attendance, this year and last year.

Deterministic (fixed seeds per year) and idempotent: a class is found by its title,
organising unit and year; attendance is seeded only when the class is first made, so a
second run changes nothing. Needs the demo roster (demo.organizations) first.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from organizations.models import Officer, Role, RoleAssignment, Unit
from training.classes.services import record_attendance, remove_attendance
from training.ledger.services import correct_record
from training.models import ClassInvitation, ClassSession, InPersonClass, InvitationState, RecordSource

# (year offset, title, topic, organiser code, month, day, days, place, hours, counts, certificate,
#  roles attending, share of them attending, organiser e-mail)
CLASSES = [
    (
        -1,
        "Bồi dưỡng nghiệp vụ báo cáo viên",
        "Nghiệp vụ báo cáo viên, tuyên truyền miệng",
        "LDLD-HN",
        4,
        15,
        2,
        "Hội trường Liên đoàn Lao động thành phố Hà Nội, 51 Quang Trung",
        "16",
        True,
        True,
        [Role.REPORTER, Role.PROPAGANDA_OFFICER],
        0.55,
        "tuyengiao@demo.vn",
    ),
    (
        -1,
        "Tập huấn kỹ năng viết tin bài trên mạng xã hội",
        "Truyền thông số",
        "LDLD-CAUGIAY",
        9,
        20,
        1,
        "Nhà văn hóa quận Cầu Giấy",
        "8",
        True,
        False,
        [Role.PROPAGANDIST, Role.OPINION_COLLABORATOR, Role.REPORTER, Role.GRASSROOTS_CHAIR],
        0.9,
        "quanly@demo.vn",
    ),
    (
        -1,
        "Tập huấn nghiệp vụ cho tuyên truyền viên công đoàn cơ sở",
        "Tuyên truyền, phổ biến pháp luật lao động",
        "LDLD-HN",
        10,
        8,
        2,
        "Trường Cán bộ công đoàn Hà Nội",
        "12",
        True,
        False,
        [Role.PROPAGANDIST, Role.GRASSROOTS_CHAIR],
        0.35,
        "tuyengiao@demo.vn",
    ),
    (
        -1,
        "Sinh hoạt chuyên đề: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Sinh hoạt chính trị",
        "LDLD-HN",
        5,
        19,
        1,
        "Hội trường Liên đoàn Lao động thành phố Hà Nội, 51 Quang Trung",
        "3",
        False,
        False,
        [Role.PROPAGANDA_OFFICER],
        0.5,
        "tuyengiao@demo.vn",
    ),
    (
        0,
        "Tập huấn công tác tuyên truyền, phổ biến pháp luật cho tuyên truyền viên",
        "Bộ luật Lao động, Luật Công đoàn 2024",
        "LDLD-HN",
        3,
        12,
        2,
        "Trường Cán bộ công đoàn Hà Nội",
        "16",
        True,
        True,
        [Role.PROPAGANDIST, Role.REPORTER],
        0.3,
        "tuyengiao@demo.vn",
    ),
    (
        0,
        "Bồi dưỡng kỹ năng nắm bắt, định hướng dư luận xã hội",
        "Dư luận xã hội trong công nhân, viên chức, lao động",
        "CD-KCN",
        5,
        21,
        1,
        "Trung tâm hỗ trợ công nhân Khu công nghiệp Thăng Long",
        "6",
        True,
        False,
        [Role.OPINION_COLLABORATOR, Role.PROPAGANDIST, Role.GRASSROOTS_CHAIR],
        0.6,
        "tuyengiao@demo.vn",
    ),
    (
        0,
        "Sinh hoạt chuyên đề: Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Sinh hoạt chính trị",
        "LDLD-HN",
        5,
        19,
        1,
        "Hội trường Liên đoàn Lao động thành phố Hà Nội, 51 Quang Trung",
        "3",
        False,
        False,
        [Role.PROPAGANDIST],
        0.2,
        "tuyengiao@demo.vn",
    ),
]
SOURCES = [RecordSource.ATTENDANCE, RecordSource.UPLOAD, RecordSource.CHECK_IN]


def _grant_permissions() -> None:
    """Organisers may manage classes in the admin too (the organizations demo made the groups)."""
    perms = list(
        Permission.objects.filter(
            content_type__app_label="training",
            codename__in=["add_inpersonclass", "change_inpersonclass", "view_inpersonclass"],
        )
    )
    for name in ("Auditors", "Unit managers"):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms)


def _on_or_before_today(day: date, today: date) -> date:
    return min(day, today)  # a current-year class in the demo never lies in the future


def _attendees(
    organiser: Unit, roles: list[str], year: int, share: float, rng: random.Random
) -> list[Officer]:
    officer_ids = sorted(
        set(
            RoleAssignment.objects.active_in_year(year)
            .filter(role__in=roles, unit__path__startswith=organiser.path)
            .values_list("officer_id", flat=True)
        )
    )
    chosen = [pk for pk in officer_ids if rng.random() < share]
    return list(Officer.objects.filter(pk__in=chosen).order_by("code"))


def _seed_class(spec, today: date, users: dict) -> InPersonClass | None:
    offset, title, topic, code, month, day, days, place, hours, counts, certificate, roles, share, email = (
        spec
    )
    year = today.year + offset
    organiser = Unit.objects.filter(code=code).first()
    if organiser is None:
        return None
    existing = InPersonClass.objects.filter(
        title=title, organising_unit=organiser, start_date__year=year
    ).first()
    if existing:
        return existing
    start = date(year, month, day)
    end = date(year, month, day + days - 1)
    if offset == 0:
        start, end = _on_or_before_today(start, today), _on_or_before_today(end, today)
    klass = InPersonClass.objects.create(
        title=title,
        topic=topic,
        organising_unit=organiser,
        start_date=start,
        end_date=end,
        place=place,
        hours=Decimal(hours),
        counts_toward_requirement=counts,
        grants_certificate=certificate,
        created_by=users.get(email),
    )
    sessions = sorted({start, end})
    for session_day in sessions:
        ClassSession.objects.create(
            in_person_class=klass, date=session_day, start_time=time(8, 0), end_time=time(11, 30)
        )
    rng = random.Random(f"{title}-{year}")
    attendees = _attendees(organiser, roles, year, share, rng)
    organiser_user = users.get(email)
    for index, source in enumerate(SOURCES):
        group = attendees[index :: len(SOURCES)]
        record_attendance(in_person_class=klass, officers=group, source=source, recorded_by=organiser_user)
    return klass


def _seed_history(klass: InPersonClass, by) -> None:
    """One record taken off the list and one corrected, so the ledger shows its history."""
    records = list(klass.records.valid().order_by("officer__code")[:2])
    if len(records) < 2:
        return
    remove_attendance(record=records[0], by=by, reason="Ghi nhầm: cán bộ vắng mặt, không ký danh sách")
    correct_record(
        record=records[1], by=by, reason="Chỉ dự một buổi, điều chỉnh số giờ", hours=klass.hours / 2
    )


def _seed_demo_learner(today: date, users: dict) -> None:
    """The demo learner attended last year's reporters' class and this year's non-counting talk."""
    learner = Officer.objects.filter(code="DEMO-HV").first()
    if learner is None:
        return
    for offset, title in ((-1, CLASSES[0][1]), (0, CLASSES[6][1])):
        klass = InPersonClass.objects.filter(title=title, start_date__year=today.year + offset).first()
        if klass is not None and not klass.records.filter(officer=learner).exists():
            record_attendance(
                in_person_class=klass,
                officers=[learner],
                source=RecordSource.CHECK_IN,
                recorded_by=learner.user,
            )


def _seed_class_today(today: date, users: dict) -> None:
    """A class running today in Cầu Giấy, so the manager can show its QR code in the demo."""
    organiser = Unit.objects.filter(code="LDLD-CAUGIAY").first()
    title = "Tập huấn kỹ năng viết tin bài trên mạng xã hội (lớp thực hành)"
    if organiser is None or InPersonClass.objects.filter(title=title, start_date__year=today.year).exists():
        return
    klass = InPersonClass.objects.create(
        title=title,
        topic="Truyền thông số",
        organising_unit=organiser,
        start_date=today,
        end_date=today,
        place="Nhà văn hóa quận Cầu Giấy",
        hours=Decimal("8"),
        counts_toward_requirement=True,
        created_by=users.get("quanly@demo.vn"),
    )
    ClassSession.objects.create(
        in_person_class=klass, date=today, start_time=time(0, 0), end_time=time(23, 59)
    )


def _seed_planned_class(today: date, users: dict) -> None:
    """A class in two weeks at the demo learner's upper-level union, planned from the untrained
    list: capacity 2, two officers accepted, the demo learner invited (accepting puts her on the
    waiting list). Rows are made directly: seeding sends no messages."""
    learner = Officer.objects.filter(code="DEMO-HV").select_related("unit").first()
    if learner is None or learner.unit.get_parent() is None:
        return
    organiser = learner.unit.get_parent()
    title = "Tập huấn kỹ năng tuyên truyền miệng (lớp theo danh sách chưa bồi dưỡng)"
    if InPersonClass.objects.filter(title=title).exists():
        return
    day = today + timedelta(days=14)
    klass = InPersonClass.objects.create(
        title=title,
        topic="Tuyên truyền miệng",
        organising_unit=organiser,
        start_date=day,
        end_date=day,
        place="Hội trường " + organiser.name,
        hours=Decimal("3.5"),
        capacity=2,
        counts_toward_requirement=True,
        created_by=users.get("tuyengiao@demo.vn"),
    )
    ClassSession.objects.create(in_person_class=klass, date=day, start_time=time(8, 0), end_time=time(11, 30))
    others = list(
        Officer.objects.filter(unit__path__startswith=organiser.path)
        .exclude(pk=learner.pk)
        .order_by("code")[:2]
    )
    now = timezone.now()
    for officer in others:
        ClassInvitation.objects.create(
            in_person_class=klass, officer=officer, state=InvitationState.ACCEPTED, responded_at=now
        )
    ClassInvitation.objects.create(in_person_class=klass, officer=learner)


@transaction.atomic
def seed() -> None:
    """Classes last year and this year with attendance across the demo roster; idempotent."""
    _grant_permissions()
    today = timezone.localdate()
    users = {
        u.email: u for u in get_user_model().objects.filter(email__in=["tuyengiao@demo.vn", "quanly@demo.vn"])
    }
    for spec in CLASSES:
        existed = InPersonClass.objects.filter(
            title=spec[1], organising_unit__code=spec[3], start_date__year=today.year + spec[0]
        ).exists()
        klass = _seed_class(spec, today, users)
        if klass is not None and not existed and spec is CLASSES[1]:
            _seed_history(klass, users.get("quanly@demo.vn"))
    _seed_demo_learner(today, users)
    _seed_class_today(today, users)
    _seed_planned_class(today, users)
