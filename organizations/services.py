"""Changes to the roster. Role history is kept: an assignment is closed, never deleted."""

from datetime import date, datetime

from django.db import models, transaction
from django.utils import timezone

from .models import Officer, RoleAssignment, Unit


@transaction.atomic
def create_unit(
    *, parent: Unit, code: str, name: str, level: str, kind: str = "", worker_count: int = 0
) -> Unit:
    """Add a unit as the last child of ``parent``; the caller has checked scope and levels.

    The parent row is locked so two concurrent creations under it get different paths. The
    new unit is appended rather than inserted in code order (treebeard's ``add_child`` with
    ``node_order_by`` would renumber the paths of later siblings and their subtrees), the way
    the roster import adds units.
    """
    parent = Unit.objects.select_for_update().get(pk=parent.pk)
    depth = parent.depth + 1
    last = (
        Unit.objects.filter(path__startswith=parent.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Unit._str2int(last[-Unit.steplen :]) + 1 if last else 1
    unit = Unit.objects.create(
        path=Unit._get_path(parent.path, depth, step),
        depth=depth,
        numchild=0,
        code=code,
        name=name,
        level=level,
        kind=kind,
        worker_count=worker_count,
    )
    Unit.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + 1)
    return unit


@transaction.atomic
def assign_role(*, officer: Officer, role: str, unit: Unit, start_date: date) -> RoleAssignment:
    """Open a role for an officer at a unit. Idempotent for an identical open assignment."""
    existing = RoleAssignment.objects.filter(
        officer=officer, role=role, unit=unit, end_date__isnull=True
    ).first()
    if existing:
        return existing
    return RoleAssignment.objects.create(officer=officer, role=role, unit=unit, start_date=start_date)


@transaction.atomic
def add_role_assignment(
    *, officer: Officer, role: str, unit: Unit, start_date: date, end_date: date | None = None
) -> RoleAssignment:
    """Record a role held from ``start_date`` (open, or already ended on ``end_date``).

    The caller has checked scope and that it overlaps no assignment of the same role at the
    same unit (the admin form does). Nothing is replaced: each assignment is its own row.
    """
    if end_date is not None and end_date < start_date:
        raise ValueError("end_date is before start_date")
    return RoleAssignment.objects.create(
        officer=officer, role=role, unit=unit, start_date=start_date, end_date=end_date
    )


@transaction.atomic
def end_role(*, assignment: RoleAssignment, end_date: date) -> RoleAssignment:
    """Close an assignment on ``end_date``; the row stays as history."""
    if assignment.end_date is not None and assignment.end_date <= end_date:
        return assignment
    if end_date < assignment.start_date:
        raise ValueError("end_date is before start_date")
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


@transaction.atomic
def move_officer(*, officer: Officer, to_unit: Unit, on: date) -> Officer:
    """Move an officer to another unit: close roles at the old unit, open the same at the new."""
    for assignment in RoleAssignment.objects.active_on(on).filter(officer=officer, unit=officer.unit):
        end_role(assignment=assignment, end_date=on)
        assign_role(officer=officer, role=assignment.role, unit=to_unit, start_date=on)
    officer.unit = to_unit
    officer.save(update_fields=["unit"])
    return officer


@transaction.atomic
def open_roles(*, assignments: list[RoleAssignment]) -> list[RoleAssignment]:
    """Create many assignments at once (the roster import). The caller has checked for duplicates."""
    return RoleAssignment.objects.bulk_create(assignments, batch_size=2000)


@transaction.atomic
def close_roles(*, closings: list[tuple[int, date]], now: datetime | None = None) -> int:
    """Close many assignments by id, each on its date; same rules as ``end_role``, in bulk.

    An assignment already closed on or before the date is left alone; a date before the start
    closes it on its start date. Rows are kept as history. Returns how many changed; each
    changed row's ``updated_at`` is ``now`` (default: this moment).
    """
    if not closings:
        return 0
    now = now or timezone.now()
    wanted = dict(closings)
    changed = []
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        for assignment in RoleAssignment.objects.filter(pk__in=ids[start : start + 900]):
            end_date = max(wanted[assignment.pk], assignment.start_date)
            if assignment.end_date is not None and assignment.end_date <= end_date:
                continue
            assignment.end_date = end_date
            assignment.updated_at = now  # bulk_update skips auto_now
            changed.append(assignment)
    RoleAssignment.objects.bulk_update(changed, ["end_date", "updated_at"], batch_size=1000)
    return len(changed)
