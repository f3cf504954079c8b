"""Who is required and who is trained: the Program 09 rules, exactly as ``docs/audit.md`` states them.

Everything here returns lazy querysets or ``Q`` objects so the audit can fold the
rules into one aggregated statement; nothing here loops over officers.

- A year runs from 01/01 to 31/12 in local calendar dates; no date is shifted through UTC.
- An assignment qualifies for a year when it overlaps the year at all
  (``start_date <= 31/12`` and ``end_date`` empty or ``>= 01/01``), its role and unit
  match one of the requirement's rules (level, worker count ``>=`` the threshold), and
  its unit existed in the year (not dissolved before 01/01; dissolved during it counts).
- A person is trained for a requirement when their qualifying records of the year
  (not voided, counting toward the requirement, completed on or before the deadline)
  number at least ``min_trainings`` and total at least ``min_hours``. Trained is a property
  of the person for the year, wherever and whenever in the year the training happened.
- Staffing is judged at the unit itself: a required unit is staffed when someone holds the
  rule's role *at that unit* in an assignment overlapping the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from organizations.models import Officer, Role, RoleAssignment, Unit, UnitLevel

from ..models import Requirement, RequirementTarget, TrainingRecord

TRAINING_TARGETS = (RequirementTarget.CORPS, RequirementTarget.LARGE_GRASSROOTS)

# Program 09/CTr-LĐLĐ: (target, title, [(role, unit level or "", minimum workers)]).
PROGRAM_09 = [
    (
        RequirementTarget.STAFFING,
        "Mỗi công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở từ 1.000 lao động có tuyên truyền viên",
        [(Role.PROPAGANDIST, UnitLevel.UPPER, 0), (Role.PROPAGANDIST, UnitLevel.GRASSROOTS, 1000)],
    ),
    (
        RequirementTarget.CORPS,
        "Bồi dưỡng thường xuyên đội ngũ cán bộ tuyên giáo, báo cáo viên, tuyên truyền viên, "
        "cộng tác viên dư luận xã hội",
        [
            (Role.PROPAGANDA_OFFICER, UnitLevel.CITY, 0),
            (Role.PROPAGANDA_OFFICER, UnitLevel.UPPER, 0),
            (Role.REPORTER, "", 0),
            (Role.PROPAGANDIST, "", 0),
            (Role.OPINION_COLLABORATOR, "", 0),
        ],
    ),
    (
        RequirementTarget.LARGE_GRASSROOTS,
        "Bồi dưỡng hằng năm chủ tịch, báo cáo viên, tuyên truyền viên công đoàn cơ sở từ 1.000 lao động",
        [
            (Role.GRASSROOTS_CHAIR, UnitLevel.GRASSROOTS, 1000),
            (Role.REPORTER, UnitLevel.GRASSROOTS, 1000),
            (Role.PROPAGANDIST, UnitLevel.GRASSROOTS, 1000),
        ],
    ),
]


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def requirements_for(year: int) -> dict[str, Requirement]:
    """The year's requirements by target, rules prefetched. Two queries."""
    return {r.target: r for r in Requirement.objects.filter(year=year).prefetch_related("rules")}


def _rule_q(rule, prefix: str) -> Q:
    condition = Q()
    if rule.unit_level:
        condition &= Q(**{f"{prefix}level": rule.unit_level})
    if rule.min_workers:
        condition &= Q(**{f"{prefix}worker_count__gte": rule.min_workers})
    return condition


def unit_existed_q(year: int, prefix: str = "") -> Q:
    """The unit existed for part of the year: dissolved during the year still counts."""
    start, _end = year_bounds(year)
    return Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gte": start})


def overlaps_year_q(year: int, prefix: str = "") -> Q:
    start, end = year_bounds(year)
    return Q(**{f"{prefix}start_date__lte": end}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": start})
    )


def required_assignments(requirement: Requirement) -> QuerySet[RoleAssignment]:
    """Assignments that make their holder required by a training target in its year (lazy)."""
    rules = list(requirement.rules.all())
    if not rules:
        return RoleAssignment.objects.none()
    matches = Q()
    for rule in rules:
        matches |= Q(role=rule.role) & _rule_q(rule, "unit__")
    return RoleAssignment.objects.filter(
        matches, overlaps_year_q(requirement.year), unit_existed_q(requirement.year, "unit__")
    ).order_by()


def qualifying_records(requirement: Requirement) -> QuerySet[TrainingRecord]:
    """Records of the requirement's year that count: not voided, counting, by the deadline."""
    return (
        TrainingRecord.objects.qualifying()
        .filter(year=requirement.year, completed_on__lte=requirement.effective_deadline)
        .order_by()
    )


def trained_officer_ids(requirement: Requirement) -> QuerySet:
    """Ids of officers trained for the requirement, each once (a lazy subquery).

    The audit joins this set once to the required rows of a whole city (a hash join, which
    PostgreSQL spills to disk in batches when the year's ledger outgrows ``work_mem``), rather
    than testing ``officer_id IN (…)`` per row: a hashed ``IN`` that no longer fits ``work_mem``
    is re-run for every row.
    """
    records = qualifying_records(requirement)
    if requirement.min_trainings <= 1 and requirement.min_hours <= 0:
        return records.values("officer_id").distinct()
    return (
        records.values("officer_id")
        .annotate(trainings=Count("id"), total_hours=Sum("hours"))
        .filter(trainings__gte=requirement.min_trainings, total_hours__gte=requirement.min_hours)
        .values("officer_id")
    )


def trained_q(requirement: Requirement, *, field: str = "officer_id") -> Q:
    """A condition on a row with an officer id (``field``): that officer is trained for the requirement.

    An ``EXISTS`` through the (year, officer) index: in a ``WHERE`` clause PostgreSQL plans it as
    a semi-join (``NOT`` as an anti-join), whatever the size of the ledger; in a select list it
    costs one index probe per row, so it suits a subtree's rows (for a whole city, join
    ``trained_officer_ids`` once instead).
    """
    records = qualifying_records(requirement).filter(officer_id=OuterRef(field))
    if requirement.min_trainings <= 1 and requirement.min_hours <= 0:
        return Q(Exists(records))
    grouped = (
        records.values("officer_id")
        .annotate(trainings=Count("id"), total_hours=Sum("hours"))
        .filter(trainings__gte=requirement.min_trainings, total_hours__gte=requirement.min_hours)
    )
    return Q(Exists(grouped))


def staffing_units(requirement: Requirement) -> QuerySet[Unit]:
    """Units the staffing target concerns in its year (lazy)."""
    rules = list(requirement.rules.all())
    if not rules:
        return Unit.objects.none()
    matches = Q()
    for rule in rules:
        matches |= _rule_q(rule, "") if (rule.unit_level or rule.min_workers) else Q(pk__isnull=False)
    return Unit.objects.filter(matches, unit_existed_q(requirement.year)).order_by()


def staffed_q(requirement: Requirement, prefix: str = "") -> Q:
    """A condition on ``Unit`` (via ``prefix``): someone holds a matching rule's role at the unit itself.

    An ``EXISTS`` per unit through the assignments' unit index: the rows it is tested on are
    units (tens of thousands at most), and unlike ``id IN (all holders)`` it never depends on the
    year's holders fitting in ``work_mem``.
    """
    by_role: dict[str, Q] = {}
    for rule in requirement.rules.all():  # one EXISTS per role, however many rules name it
        units = _rule_q(rule, prefix) or Q(**{f"{prefix}id__isnull": False})  # no condition: any unit
        by_role[rule.role] = by_role.get(rule.role, Q(pk__in=[])) | units
    condition = Q(pk__in=[])
    for role, units in by_role.items():
        holders = RoleAssignment.objects.filter(
            overlaps_year_q(requirement.year), role=role, unit_id=OuterRef(f"{prefix}id")
        ).order_by()
        condition |= units & Q(Exists(holders))
    return condition


# --- One officer's status, for the learner's own page ------------------------------------------


@dataclass
class TargetStatus:
    requirement: Requirement
    required: bool
    assignments: list[RoleAssignment] = field(default_factory=list)
    trainings: int = 0
    hours: Decimal = Decimal(0)

    @property
    def trained(self) -> bool:
        return (
            self.trainings >= max(self.requirement.min_trainings, 1)
            and self.hours >= self.requirement.min_hours
        )


@dataclass
class OfficerYear:
    year: int
    targets: list[TargetStatus]
    records: list[TrainingRecord]

    @property
    def required(self) -> list[TargetStatus]:
        return [t for t in self.targets if t.required]

    @property
    def done(self) -> bool:
        return all(t.trained for t in self.required)


def officer_year(officer: Officer, year: int) -> OfficerYear:
    """One officer's requirement for the year: which targets, by which assignments, trained or not.

    Uses the same querysets as the audit, restricted to the officer, so the learner's
    page and the department's figures cannot disagree. A fixed handful of queries.
    """
    requirements = requirements_for(year)
    records = list(TrainingRecord.objects.filter(officer=officer, year=year).order_by("completed_on", "id"))
    targets = []
    for target in TRAINING_TARGETS:
        requirement = requirements.get(target)
        if requirement is None:
            continue
        assignments = list(required_assignments(requirement).filter(officer=officer).select_related("unit"))
        counted = [
            r
            for r in records
            if r.voided_at is None
            and r.counts_toward_requirement
            and r.completed_on <= requirement.effective_deadline
        ]
        targets.append(
            TargetStatus(
                requirement=requirement,
                required=bool(assignments),
                assignments=assignments,
                trainings=len(counted),
                hours=sum((r.hours for r in counted), Decimal(0)),
            )
        )
    return OfficerYear(year=year, targets=targets, records=records)
