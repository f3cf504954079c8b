"""Required courses assigned by the year's rules, kept in step with the roster, and announced.

``recompute`` makes the ``Assignment`` table say what the rules say: every officer whom
``rules.required_assignments`` (the audit's own code, never a copy) makes required by a
training requirement holds one active assignment per course the requirement names (or one
without a course when it names only kinds of in-person class), with its deadline. It is
idempotent and set-based: a fixed handful of statements per requirement (UPDATEs with
subqueries and one INSERT … SELECT), whatever the number of officers. ``officer_ids`` limits
it to those officers (a roster change re-evaluates only them).

An officer who stops being required is unassigned (``unassigned_at``); the row stays, and
their enrolments, progress and records (in ``courses`` and the ledger) are never touched.
A closed year is frozen: its assignments are left as they were.

``announce`` tells officers of their new assignments: one message per officer listing every
new course, at most one a day (``send_assignment_notice`` is the one place that sends).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.models import MessageKind
from notifications.services import send as send_message
from organizations.models import Officer, RoleAssignment

from ..models import Assignment, Requirement, YearClosure
from . import rules

# Up to this many officers, who is required is read once and passed as a list.
SMALL = 500

# Sent inside recompute's transaction once the assignments are right, with ``officer_ids``
# (None: everyone); ``courses`` listens to mark as started the courses already begun.
assignments_recomputed = Signal()


def years_to_keep() -> list[int]:
    """The years whose assignments follow the roster: this year and later, unless closed."""
    this_year = timezone.localdate().year
    closed = YearClosure.objects.filter(is_closed=True).values("year")
    return list(
        Requirement.objects.filter(year__gte=this_year)
        .exclude(year__in=closed)
        .values_list("year", flat=True)
        .distinct()
        .order_by("year")
    )


def _course_match(course_ids: list[int], class_row: bool) -> Q:
    """Assignment rows that the requirement still wants (by course)."""
    if course_ids:
        return Q(course_id__in=course_ids)
    if class_row:
        return Q(course__isnull=True)
    return Q(pk__in=[])


def _values_sql(values: list, column: str, cast: str) -> tuple[str, list]:
    return " UNION ALL ".join([f"SELECT CAST(%s AS {cast}) AS {column}"] * len(values)), list(values)


def _insert_missing(requirement: Requirement, required, course_ids: list[int], now: datetime) -> int:
    """One INSERT … SELECT: every (required officer, course) pair that has no row yet.
    ``required``: a values queryset of officer ids, or a short list of them."""
    if isinstance(required, list):
        if not required:
            return 0
        officers_sql, officers_params = _values_sql(required, "officer_id", "BIGINT")
    else:
        officers_sql, officers_params = required.query.get_compiler(using="default").as_sql()
    if course_ids:
        courses_sql, courses_params = _values_sql(course_ids, "course_id", "INTEGER")
    else:
        courses_sql, courses_params = "SELECT CAST(NULL AS INTEGER) AS course_id", []
    table = Assignment._meta.db_table
    ops = connection.ops
    sql = (
        f"INSERT INTO {table} (officer_id, requirement_id, course_id, year, deadline, assigned_at) "
        f"SELECT r.officer_id, %s, c.course_id, %s, %s, %s "
        f"FROM ({officers_sql}) r CROSS JOIN ({courses_sql}) c "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} a WHERE a.officer_id = r.officer_id "
        f"AND a.requirement_id = %s "
        f"AND (a.course_id = c.course_id OR (a.course_id IS NULL AND c.course_id IS NULL))) "
        # Two recomputations at once: the second one's rows are already there.
        f"ON CONFLICT DO NOTHING"
    )
    params = [
        requirement.pk,
        requirement.year,
        ops.adapt_datefield_value(requirement.effective_deadline),
        ops.adapt_datetimefield_value(now),
        *officers_params,
        *courses_params,
        requirement.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _recompute_requirement(requirement: Requirement, officer_ids, now: datetime) -> dict:
    rows = Assignment.objects.filter(requirement=requirement)
    if officer_ids is not None:
        rows = rows.filter(officer_id__in=officer_ids)
    course_ids = [link.course_id for link in requirement.course_links.all()]
    class_row = not course_ids and bool(requirement.class_kinds.all())
    wanted = _course_match(course_ids, class_row)
    if requirement.target not in rules.TRAINING_TARGETS or not (course_ids or class_row):
        unassigned = rows.filter(unassigned_at__isnull=True).update(unassigned_at=now)
        return {"assigned": 0, "unassigned": unassigned}
    required = rules.required_assignments(requirement)
    if officer_ids is not None:
        required = required.filter(officer_id__in=officer_ids)
    required = required.values("officer_id").distinct()
    if isinstance(officer_ids, (list, tuple, set)) and len(officer_ids) <= SMALL:
        # A few officers (a roster edit): read who is required once rather than in every statement.
        required = list(required.values_list("officer_id", flat=True))
    unassigned = (
        rows.filter(unassigned_at__isnull=True)
        .filter(~Q(officer_id__in=required) | ~wanted)
        .update(unassigned_at=now)
    )
    deadline = requirement.effective_deadline
    reassigned = rows.filter(wanted, unassigned_at__isnull=False, officer_id__in=required).update(
        unassigned_at=None, assigned_at=now, announced_at=None, deadline=deadline, year=requirement.year
    )
    # The requirement's deadline (or year) was edited: active rows take the new one.
    rows.filter(unassigned_at__isnull=True).filter(~Q(deadline=deadline) | ~Q(year=requirement.year)).update(
        deadline=deadline, year=requirement.year
    )
    inserted = _insert_missing(requirement, required, course_ids, now) if course_ids or class_row else 0
    return {"assigned": inserted + reassigned, "unassigned": unassigned}


@transaction.atomic
def recompute(*, years: list[int] | None = None, officer_ids=None, now: datetime | None = None) -> dict:
    """Bring the assignments of ``years`` (default: ``years_to_keep()``) in line with the rules.

    ``officer_ids`` (a list or a values queryset): only those officers. Idempotent: a second run
    changes nothing. Set-based: the number of statements depends on the requirements, never on
    the number of officers. Returns how many were assigned and unassigned.
    """
    now = now or timezone.now()
    if years is None:
        years = years_to_keep()
    else:
        closed = YearClosure.objects.filter(year__in=years, is_closed=True).values_list("year", flat=True)
        years = sorted(set(years) - set(closed))
    totals = {"assigned": 0, "unassigned": 0}
    if not years:
        return totals
    requirements = Requirement.objects.filter(year__in=years).prefetch_related(
        "rules", "course_links", "class_kinds"
    )
    for requirement in requirements:
        counts = _recompute_requirement(requirement, officer_ids, now)
        totals["assigned"] += counts["assigned"]
        totals["unassigned"] += counts["unassigned"]
    assignments_recomputed.send(sender=Assignment, officer_ids=officer_ids, years=years)
    return totals


def officers_at_unit(unit_id: int):
    """Officers holding (or having held) a role at the unit: whom a change of the unit concerns."""
    return RoleAssignment.objects.filter(unit_id=unit_id).values("officer_id")


def mark_started(*, officer_id: int, course_id: int, at: datetime | None = None) -> int:
    """The officer opened a course: their active assignments of it are "đang học". One UPDATE."""
    return (
        Assignment.objects.active()
        .filter(officer_id=officer_id, course_id=course_id, started_at__isnull=True)
        .update(started_at=at or timezone.now())
    )


# --- Announcing new assignments -------------------------------------------------------------------


def send_assignment_notice(officer: Officer, assignments: list[Assignment]) -> bool:
    """Tell ``officer`` in one message of the courses newly assigned to them, through the
    notifications layer (their preferred channel, then the fallbacks: an SMS or Zalo message is
    the short form). Delivered here (the caller runs in a worker); False when no channel reaches
    them (the layer keeps a failed row saying so)."""
    lines = []
    for assignment in assignments:
        what = assignment.course.title if assignment.course_id else _("an in-person class")
        lines.append(
            _("- %(what)s, by %(deadline)s")
            % {"what": what, "deadline": date_format(assignment.deadline, "SHORT_DATE_FORMAT")}
        )
    url = f"{settings.SITE_URL}/learn/"
    subject = _("Required training assigned to you")
    body = _(
        "Dear %(name)s,\n\nThe year's training rules require you to complete:\n%(lines)s\n\n"
        "Start on your training page: %(url)s\n"
    ) % {"name": officer.full_name, "lines": "\n".join(lines), "url": url}
    first_deadline = min(a.deadline for a in assignments)
    message = send_message(
        MessageKind.ASSIGNMENT,
        officer=officer,
        subject=str(subject),
        body=body,
        params={
            "name": officer.full_name,
            "count": len(assignments),
            "deadline": date_format(first_deadline, "SHORT_DATE_FORMAT"),
            "url": url,
        },
        dedupe_key=f"assignment:{officer.pk}:" + ",".join(str(a.pk) for a in assignments),
        deliver_now=True,
    )
    return bool(message.address)


def announce(*, now: datetime | None = None) -> dict:
    """Send each officer with new assignments one message listing them, unless they already had
    one today (local date): those wait for tomorrow. Idempotent: an assignment is announced once.

    Two queries to find whom to tell, then per officer one UPDATE claiming their rows (so two
    runs at once never send twice) and the message. Officers without an address are marked too,
    and counted."""
    now = now or timezone.now()
    day_start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    told_today = Assignment.objects.filter(announced_at__gte=day_start).values("officer_id")
    pending = (
        Assignment.objects.active()
        .filter(announced_at__isnull=True)
        .exclude(officer_id__in=told_today)
        .select_related("officer__user", "course")
        .order_by("officer_id", "deadline", "id")
    )
    by_officer: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in pending:
        by_officer[assignment.officer_id].append(assignment)
    sent, unreachable = 0, 0
    with translation.override(settings.LANGUAGE_CODE):
        for assignments in by_officer.values():
            with transaction.atomic():
                claimed = Assignment.objects.filter(
                    pk__in=[a.pk for a in assignments], announced_at__isnull=True
                ).update(announced_at=now)
                if not claimed:
                    continue
                if send_assignment_notice(assignments[0].officer, assignments):
                    sent += 1
                else:
                    unreachable += 1
    return {"sent": sent, "unreachable": unreachable}
