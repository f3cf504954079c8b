"""Closing a year: its audit is frozen as a snapshot (who was required, who was trained, which
units were staffed), so later roster and ledger edits no longer change it; reopening undoes that."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.vietnamese.names import full_name
from organizations.models import Unit

from ..models import (
    Requirement,
    RequirementTarget,
    SnapshotAssignment,
    SnapshotUnit,
    YearClosure,
    YearClosureEvent,
)
from . import rules
from .selectors import headline
from .source import AuditSource


class YearNotOverError(ValueError):
    """Only a past year can be closed: the current one (and any later one) is still running."""


class NothingToCloseError(ValueError):
    """A year without requirements has no audit to freeze."""


class YearNotClosedError(ValueError):
    """Only a closed year can be reopened (say, a second click on "Reopen")."""


def is_closed(year: int) -> bool:
    return YearClosure.objects.filter(year=year, is_closed=True).exists()


def check_closable(*, year: int, today: date | None = None) -> None:
    """Raise ``YearNotOverError`` or ``NothingToCloseError`` when ``year`` cannot be closed
    (what ``close_year`` checks first; its confirmation page asks before showing the button)."""
    if year >= (today or timezone.localdate()).year:
        raise YearNotOverError(f"The year {year} is not over yet.")
    if not Requirement.objects.filter(year=year).exists() and not is_closed(year):
        raise NothingToCloseError(f"The year {year} has no requirements.")


@transaction.atomic
def close_year(*, year: int, by, today: date | None = None) -> YearClosure:
    """Freeze ``year``: copy who was required, who was trained and which units were staffed.

    From then on the audit of the year reads the snapshot only, so roster and ledger
    edits no longer change it. Idempotent: closing a closed year changes nothing.
    Raises ``YearNotOverError`` for the current year or a later one (``today``: Hanoi's date):
    trainings may still be recorded until 31/12; ``NothingToCloseError`` for an open year
    without requirements (closing it would only list an empty year for good).
    """
    check_closable(year=year, today=today)
    closure, _ = YearClosure.objects.select_for_update().get_or_create(
        year=year, defaults={"is_closed": False}
    )
    if closure.is_closed:
        return closure
    closure.units.all().delete()
    closure.assignments.all().delete()
    requirements = rules.requirements_for(year)

    staffing = requirements.get(RequirementTarget.STAFFING)
    required_ids: set[int] = set()
    staffed_ids: set[int] = set()
    if staffing is not None:
        required_ids = set(rules.staffing_units(staffing).values_list("id", flat=True))
        staffed_ids = set(
            rules.staffing_units(staffing).filter(rules.staffed_q(staffing)).values_list("id", flat=True)
        )
    SnapshotUnit.objects.bulk_create(
        (
            SnapshotUnit(
                closure=closure,
                unit_id=unit.id,
                path=unit.path,
                depth=unit.depth,
                code=unit.code,
                name=unit.name,
                level=unit.level,
                worker_count=unit.worker_count,
                staffing_required=unit.id in required_ids,
                staffed=unit.id in staffed_ids,
            )
            for unit in Unit.objects.filter(rules.unit_existed_q(year))
            .order_by("path")
            .iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    for target in rules.TRAINING_TARGETS:
        requirement = requirements.get(target)
        if requirement is None:
            continue
        trained = Q(officer_id__in=rules.trained_officer_ids(requirement))
        rows = (
            rules.required_assignments(requirement)
            .values(
                "officer_id",
                "officer__family_name",
                "officer__middle_name",
                "officer__given_name",
                "officer__sort_key",
                "officer__code",
                "unit_id",
                "unit__path",
                "role",
            )
            .distinct()
        )
        trained_ids = set(
            rules.required_assignments(requirement).filter(trained).values_list("officer_id", flat=True)
        )
        SnapshotAssignment.objects.bulk_create(
            (
                SnapshotAssignment(
                    closure=closure,
                    target=target,
                    officer_id=row["officer_id"],
                    full_name=full_name(
                        row["officer__family_name"], row["officer__middle_name"], row["officer__given_name"]
                    ),
                    sort_key=row["officer__sort_key"],
                    officer_code=row["officer__code"] or "",
                    unit_id=row["unit_id"],
                    unit_path=row["unit__path"],
                    role=row["role"],
                    trained=row["officer_id"] in trained_ids,
                )
                for row in rows.iterator(chunk_size=5000)
            ),
            batch_size=5000,
        )
    closure.is_closed = True
    closure.closed_at = timezone.now()
    closure.closed_by = by
    closure.save()
    figures = headline(AuditSource.for_year(year), user=None, node=None)
    closure.headline = {str(t): (f.as_dict() if f else None) for t, f in figures.items()}
    closure.save(update_fields=["headline"])
    YearClosureEvent.objects.create(year=year, action=YearClosureEvent.Action.CLOSE, by=by)
    return closure


@transaction.atomic
def reopen_year(*, year: int, by, reason: str) -> YearClosure:
    """Reopen a closed year: its audit is computed live again. A reason is required and logged."""
    if not reason.strip():
        raise ValueError("A reason is required to reopen a year.")
    closure = YearClosure.objects.select_for_update().filter(year=year, is_closed=True).first()
    if closure is None:
        raise YearNotClosedError(f"The year {year} is not closed.")
    closure.units.all().delete()
    closure.assignments.all().delete()
    closure.is_closed = False
    closure.headline = {}
    closure.save(update_fields=["is_closed", "headline"])
    YearClosureEvent.objects.create(
        year=year, action=YearClosureEvent.Action.REOPEN, by=by, reason=reason.strip()
    )
    return closure
