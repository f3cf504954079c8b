"""Writes to the yearly requirement rules: Program 09 defaults, copying a year forward.

A closed year's requirements are frozen with its audit: the model layer raises
``YearClosedError`` for any change to them; ``closed_year_message`` is what the user reads.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Requirement, RequirementCourse, RequirementRule
from . import rules


def closed_year_message(year: int) -> str:
    """What a user is told when a change to a closed year's requirements is refused."""
    return _(
        "The year %(year)s is closed: its audit is frozen, so its requirements cannot be added, "
        "changed or deleted. An auditor reopens the year first (Audit, Closing years)."
    ) % {"year": year}


@transaction.atomic
def ensure_program09(year: int) -> list[Requirement]:
    """The three Program 09 requirements for ``year``. Idempotent: existing rows are kept as edited.
    Raises ``YearClosedError`` if one is missing and the year is closed."""
    made = []
    for target, title, rule_specs in rules.PROGRAM_09:
        requirement, created = Requirement.objects.get_or_create(
            year=year, target=target, defaults={"title": title, "deadline": date(year, 12, 31)}
        )
        if created:
            RequirementRule.objects.bulk_create(
                RequirementRule(requirement=requirement, role=role, unit_level=level, min_workers=workers)
                for role, level, workers in rule_specs
            )
        made.append(requirement)
    return made


@transaction.atomic
def copy_year_forward(*, from_year: int, to_year: int | None = None) -> list[Requirement]:
    """Copy every requirement of ``from_year`` (with its rules) to ``to_year`` (default: the next year).

    Targets that already exist in ``to_year`` are left alone, so this is idempotent. The courses and
    kinds of class it names are copied too; the new year's assignments follow after commit.
    The deadline keeps its day and month. Raises ``YearClosedError`` (nothing copied) if
    ``to_year`` is closed and lacks a target.
    """
    to_year = to_year or from_year + 1
    copied = []
    existing = set(Requirement.objects.filter(year=to_year).values_list("target", flat=True))
    sources = Requirement.objects.filter(year=from_year).prefetch_related(
        "rules", "course_links", "class_kinds"
    )
    for source in sources:
        if source.target in existing:
            continue
        deadline = source.effective_deadline
        try:
            new_deadline = deadline.replace(year=deadline.year - from_year + to_year)
        except ValueError:  # 29/02
            new_deadline = date(to_year, 12, 31)
        requirement = Requirement.objects.create(
            year=to_year,
            target=source.target,
            title=source.title,
            min_trainings=source.min_trainings,
            min_hours=source.min_hours,
            deadline=new_deadline,
            notes=source.notes,
        )
        RequirementRule.objects.bulk_create(
            RequirementRule(
                requirement=requirement, role=r.role, unit_level=r.unit_level, min_workers=r.min_workers
            )
            for r in source.rules.all()
        )
        # What satisfies it goes with it: next year's officers are assigned the same courses.
        RequirementCourse.objects.bulk_create(
            RequirementCourse(requirement=requirement, course_id=link.course_id, sort_order=link.sort_order)
            for link in source.course_links.all()
        )
        requirement.class_kinds.set(source.class_kinds.all())
        copied.append(requirement)
    return copied
