"""Writes for the requirement and the audit: Program 09 defaults, copying a year forward,
closing and reopening a year. (The ledger's own writes live in ``services.py``.)"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import rules
from .models import (
    AuditExport,
    ExportStatus,
    Requirement,
    RequirementRule,
    RequirementTarget,
    SnapshotAssignment,
    SnapshotUnit,
    YearClosedError,  # noqa: F401  (raised by the model layer; callers import it here)
    YearClosure,
    YearClosureEvent,
)


def closed_year_message(year: int) -> str:
    """What a user is told when a change to a closed year's requirements is refused."""
    return _(
        "The year %(year)s is closed: its audit is frozen, so its requirements cannot be added, "
        "changed or deleted. An auditor reopens the year first (Audit, Closing years)."
    ) % {"year": year}


def export_folder() -> Path:
    """Where built audit exports are kept (private: served only to whoever asked)."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "audit-exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Generated files made before this moment are past ``GENERATED_FILE_RETENTION_DAYS``."""
    return (now or timezone.now()) - timedelta(days=settings.GENERATED_FILE_RETENTION_DAYS)


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of audit exports finished before the retention cutoff and mark them
    expired (their page then offers a new one); a job still waiting or running since before
    the cutoff has lost its task and is expired too. Files left in the folder older than the
    cutoff (a crashed build's part file, the export of a deleted account) go as well.

    Idempotent: a second run finds nothing to do. Returns how many exports it expired."""
    cutoff = retention_cutoff(now)
    old = AuditExport.objects.filter(
        Q(status=ExportStatus.DONE, finished_at__lt=cutoff)
        | Q(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING], created_at__lt=cutoff)
    )
    ids = list(old.values_list("pk", flat=True))
    # The row first: a download started now is refused rather than served a deleted file.
    expired = AuditExport.objects.filter(pk__in=ids).update(status=ExportStatus.EXPIRED)
    folder = export_folder()
    names = AuditExport.objects.filter(pk__in=ids).exclude(file_name="").values_list("file_name", flat=True)
    for name in names:
        (folder / name).unlink(missing_ok=True)
    kept = set(AuditExport.objects.filter(status=ExportStatus.DONE).values_list("file_name", flat=True))
    for path in folder.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
    return expired


class YearNotOverError(ValueError):
    """Only a past year can be closed: the current one (and any later one) is still running."""


class NothingToCloseError(ValueError):
    """A year without requirements has no audit to freeze."""


class YearNotClosedError(ValueError):
    """Only a closed year can be reopened (say, a second click on "Reopen")."""


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

    Targets that already exist in ``to_year`` are left alone, so this is idempotent.
    The deadline keeps its day and month. Raises ``YearClosedError`` (nothing copied) if
    ``to_year`` is closed and lacks a target.
    """
    to_year = to_year or from_year + 1
    copied = []
    existing = set(Requirement.objects.filter(year=to_year).values_list("target", flat=True))
    for source in Requirement.objects.filter(year=from_year).prefetch_related("rules"):
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
        copied.append(requirement)
    return copied


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
    from .audit.selectors import AuditSource, headline

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
    from organizations.models import Unit

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
                    full_name=" ".join(
                        p
                        for p in (
                            row["officer__family_name"],
                            row["officer__middle_name"],
                            row["officer__given_name"],
                        )
                        if p
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
