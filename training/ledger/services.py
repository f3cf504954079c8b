"""Writes to the training ledger: an online course passed, a void, a correction.

Every other app records trainings through these (in-person attendance goes through
``training.classes.services``, which makes its records with ``announce``).
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.models import Officer

from ..models import RecordSource, TrainingKind, TrainingRecord
from .signals import training_recorded, training_voided


def announce(record: TrainingRecord) -> None:
    """Tell listeners (certificates) about a new record once the transaction commits."""
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
    announce(record)
    return record, True


def _void(record: TrainingRecord, *, by, reason: str) -> tuple[TrainingRecord, bool]:
    """Mark the (locked, re-read) record void; returns it and whether it was voided now."""
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if record.voided_at is not None:
        return record, False
    record.voided_at = timezone.now()
    record.voided_by = by
    record.void_reason = reason.strip()
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return record, True


@transaction.atomic
def void_record(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Void a record with a reason. The row stays, visibly voided; it no longer counts.

    Idempotent: an already voided record keeps its first reason. A newly voided record is
    announced (``training_voided``) in the same transaction, so its certificate is revoked
    with the same reason and user, or the void does not happen.
    """
    if not reason.strip():
        raise ValueError("A reason is required to void a training record.")
    record, voided = _void(record, by=by, reason=reason)
    if voided:
        training_voided.send(sender=TrainingRecord, record=record)
    return record


@transaction.atomic
def correct_record(
    *,
    record: TrainingRecord,
    by,
    reason: str,
    completed_on: date | None = None,
    hours: Decimal | None = None,
    score: Decimal | None = None,
    title: str | None = None,
) -> TrainingRecord:
    """Replace a record by a corrected one: the old one is voided with ``reason``, the new
    one (source CORRECTION, attributed to ``by``) points at it through ``corrects``.
    The new record is announced (``training_recorded``); its certificate replaces the old
    record's (a reissue), so the old record's void is not announced as a void.

    Unchanged fields are copied from the old record. History is kept: both rows stay.
    Raises ValueError on a blank reason, an already voided record, a date in the future, or
    a second valid record of the same online course in one year; then nothing changes.
    """
    if not reason.strip():
        raise ValueError("A reason is required to correct a training record.")
    if completed_on is not None and completed_on > timezone.localdate():
        raise ValueError("A training cannot be completed in the future.")
    old = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if old.voided_at is not None:
        raise ValueError("A voided record cannot be corrected.")
    # Voided without the void announcement: the new record's certificate supersedes the old
    # record's one (certificates' receiver of training_recorded) instead of revoking it.
    old, _ = _void(old, by=by, reason=reason)
    try:
        with transaction.atomic():
            new = _corrected_copy(
                old, by=by, completed_on=completed_on, hours=hours, score=score, title=title
            )
    except IntegrityError:  # the course already has a valid record in the new year
        raise ValueError("The officer already has a valid record of this course in that year.") from None
    announce(new)
    return new


def _corrected_copy(old: TrainingRecord, *, by, completed_on, hours, score, title) -> TrainingRecord:
    return TrainingRecord.objects.create(
        officer=old.officer,
        kind=old.kind,
        course=old.course,
        in_person_class=old.in_person_class,
        title=title or old.title,
        completed_on=completed_on or old.completed_on,
        hours=old.hours if hours is None else hours,
        score=old.score if score is None else score,
        counts_toward_requirement=old.counts_toward_requirement,
        grants_certificate=old.grants_certificate,
        source=RecordSource.CORRECTION,
        recorded_by=by,
        corrects=old,
    )
