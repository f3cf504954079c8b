"""Writes to the training ledger. Every other app records trainings through these."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.models import Officer

from .models import RecordSource, TrainingKind, TrainingRecord
from .signals import training_recorded


def _announce(record: TrainingRecord) -> None:
    transaction.on_commit(
        lambda: training_recorded.send(sender=TrainingRecord, record_id=record.pk), robust=False
    )


def record_course_completion(
    *,
    officer: Officer,
    course,
    completed_on: date,
    hours: Decimal | float | int = 0,
    score: Decimal | float | None = None,
    counts_toward_requirement: bool = True,
    grants_certificate: bool = False,
    recorded_by=None,
) -> tuple[TrainingRecord, bool]:
    """Record that ``officer`` passed the online ``course`` (a Wagtail page) on ``completed_on``.

    Idempotent: a second call for the same officer, course and year returns the
    existing record and ``created=False`` — also when two requests race.
    The certificates app is told (after commit) about new records only.
    """
    existing = (
        TrainingRecord.objects.valid().filter(officer=officer, course=course, year=completed_on.year).first()
    )
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            record = TrainingRecord.objects.create(
                officer=officer,
                kind=TrainingKind.ONLINE_COURSE,
                course=course,
                title=course.title,
                completed_on=completed_on,
                hours=Decimal(str(hours)),
                score=None if score is None else Decimal(str(round(float(score), 1))),
                counts_toward_requirement=counts_toward_requirement,
                grants_certificate=grants_certificate,
                source=RecordSource.ONLINE,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        return TrainingRecord.objects.valid().get(
            officer=officer, course=course, year=completed_on.year
        ), False
    _announce(record)
    return record, True


@transaction.atomic
def void_record(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Void a record with a reason. The row stays, visibly voided; it no longer counts."""
    if not reason.strip():
        raise ValueError("A reason is required to void a training record.")
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if record.voided_at is None:
        record.voided_at = timezone.now()
        record.voided_by = by
        record.void_reason = reason.strip()
        record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return record
