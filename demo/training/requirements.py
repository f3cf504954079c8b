"""Demo requirement data: Program 09 for this year and last (this year's naming the demo courses,
with the assignments they make), trainings, a closed previous year.

Deterministic (fixed random seed) and idempotent: requirements are found by year and
target, records by officer, title and year, and a year is closed only once.
Online completions are recorded through ``record_course_completion`` for course pages
found generically (this app never imports ``courses``); without course pages, only
trainings entered by hand from the paper registers are added.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from organizations.models import Officer
from organizations.scope import AUDITOR_GROUP
from training.audit import assignments, rules
from training.audit.close_year import close_year
from training.audit.services import ensure_program09
from training.ledger.services import record_course_completion
from training.models import (
    ClassKind,
    RecordSource,
    RequirementCourse,
    RequirementTarget,
    TrainingKind,
    TrainingRecord,
    YearClosure,
)

PAPER_TITLES = [
    "Hội nghị bồi dưỡng nghiệp vụ công tác tuyên giáo (nhập từ sổ giấy)",
    "Tập huấn kỹ năng tuyên truyền trên mạng xã hội (nhập từ sổ giấy)",
    "Bồi dưỡng báo cáo viên, tuyên truyền viên cấp quận (nhập từ sổ giấy)",
]


# What satisfies each Program 09 training target in the demo: course page slugs (the demo
# courses, found generically) and kinds of in-person class.
REQUIRED_COURSES = {
    RequirementTarget.CORPS: (["viet-cho-mang-xa-hoi", "tuyen-truyen-mieng"], []),
    RequirementTarget.LARGE_GRASSROOTS: (["hinh-anh-ca-nhan-va-fanpage"], ["Lớp tập huấn"]),
}


def _name_courses(year: int) -> None:
    """Name the demo courses and kinds of class on the year's requirements (idempotent)."""
    requirements = rules.requirements_for(year)
    for target, (slugs, kinds) in REQUIRED_COURSES.items():
        requirement = requirements.get(target)
        if requirement is None:
            continue
        pages = {p.slug: p for p in Page.objects.filter(slug__in=slugs, content_type__model="coursepage")}
        for order, slug in enumerate(slugs):
            if slug in pages:
                RequirementCourse.objects.get_or_create(
                    requirement=requirement, course=pages[slug], defaults={"sort_order": order}
                )
        wanted = set(ClassKind.objects.filter(name__in=kinds))
        if wanted - set(requirement.class_kinds.all()):
            requirement.class_kinds.add(*wanted)
            requirement.save()  # a cluster's many-to-many is written when it is saved


def _grant_auditor_permissions() -> None:
    group, _ = Group.objects.get_or_create(name=AUDITOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="training", codename__endswith="requirement"),
    )


def _required_officer_ids(year: int) -> list[int]:
    requirements = rules.requirements_for(year)
    ids: set[int] = set()
    for target in rules.TRAINING_TARGETS:
        if target in requirements:
            ids.update(rules.required_assignments(requirements[target]).values_list("officer_id", flat=True))
    return sorted(ids)


def _day_in(rng: random.Random, year: int, last: date) -> date:
    start = date(year, 1, 10)
    span = max((last - start).days, 1)
    return start + timedelta(days=rng.randint(0, span))


def _seed_trainings(rng: random.Random, year: int, share: float, last: date) -> None:
    """Give about ``share`` of the year's required officers a training (online or entered by hand)."""
    courses = list(Page.objects.filter(content_type__model="coursepage").order_by("path")[:5])
    officers = Officer.objects.in_bulk(_required_officer_ids(year))
    existing = set(
        TrainingRecord.objects.filter(
            year=year, source=RecordSource.MANUAL, title__in=PAPER_TITLES
        ).values_list("officer_id", flat=True)
    )
    paper = []
    for officer_id, officer in sorted(officers.items()):
        if officer.code == "DEMO-HV" and year == timezone.localdate().year:
            continue  # the demo learner still has this year's training to do
        if rng.random() >= share:
            continue
        on = _day_in(rng, year, last)
        if courses and rng.random() < 0.5:
            course = courses[officer_id % len(courses)]
            record_course_completion(
                officer=officer, course=course, completed_on=on, hours=4, score=rng.randint(70, 100)
            )
        elif officer_id not in existing:
            paper.append(
                TrainingRecord(
                    officer=officer,
                    kind=TrainingKind.IN_PERSON_CLASS,
                    title=rng.choice(PAPER_TITLES),
                    completed_on=on,
                    year=on.year,
                    hours=Decimal(rng.choice([4, 8, 16])),
                    counts_toward_requirement=rng.random() > 0.05,  # a few sessions did not qualify
                    source=RecordSource.MANUAL,
                )
            )
    TrainingRecord.objects.bulk_create(paper)


@transaction.atomic
def seed() -> None:
    """Program 09 for this year and last, a realistic mix of trained and untrained, last year closed."""
    today = timezone.localdate()
    previous = today.year - 1
    ensure_program09(previous)
    ensure_program09(today.year)
    _name_courses(today.year)
    _grant_auditor_permissions()
    rng = random.Random(409)
    if not YearClosure.objects.filter(year=previous).exists():
        _seed_trainings(rng, previous, share=0.72, last=date(previous, 12, 20))
    if not TrainingRecord.objects.filter(year=today.year, title__in=PAPER_TITLES).exists():
        _seed_trainings(rng, today.year, share=0.45, last=today)
    if not YearClosure.objects.filter(year=previous).exists():
        auditor = get_user_model().objects.filter(email="tuyengiao@demo.vn").first()
        close_year(year=previous, by=auditor)
    # Everyone this year's rules require is assigned the named courses now (not after commit:
    # the demo's logins should see them at once; a worker would do the same).
    assignments.recompute(years=[today.year])
