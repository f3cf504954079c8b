"""Writes to the training ledger. Every other app records trainings through these."""

import enum
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.models import Officer

from ..models import ClassSession, InPersonClass, RecordSource, TrainingKind, TrainingRecord
from ..models.classes import new_check_in_token
from .signals import training_recorded, training_voided


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


# --- In-person classes: attendance, self check-in and corrections -------------------------------------


def _class_record(
    *, in_person_class: InPersonClass, officer: Officer, source: str, recorded_by
) -> TrainingRecord | None:
    """Create one class record, or None if a valid one exists (also when a request races us)."""
    try:
        with transaction.atomic():
            return TrainingRecord.objects.create(
                officer=officer,
                kind=TrainingKind.IN_PERSON_CLASS,
                in_person_class=in_person_class,
                title=in_person_class.title,
                completed_on=in_person_class.end_date,
                hours=in_person_class.hours,
                counts_toward_requirement=in_person_class.counts_toward_requirement,
                grants_certificate=in_person_class.grants_certificate,
                source=source,
                recorded_by=recorded_by,
            )
    except IntegrityError:
        return None


class ClassNotStartedError(Exception):
    """Attendance of a class cannot be recorded before its start date."""

    def __init__(self, in_person_class: InPersonClass):
        super().__init__(f"The class starts on {in_person_class.start_date:%d/%m/%Y}.")
        self.start_date = in_person_class.start_date


@transaction.atomic
def record_attendance(
    *,
    in_person_class: InPersonClass,
    officers: Iterable[Officer],
    source: str = RecordSource.ATTENDANCE,
    recorded_by=None,
    today: date | None = None,
) -> list[TrainingRecord]:
    """Mark ``officers`` present at the class; return the records made now.

    One valid record per officer per class: officers already present are skipped,
    so the call is idempotent. The record copies the class's title, hours, end date
    and counts/grants flags. Each new record is announced after commit (certificates).
    Raises ``ClassNotStartedError`` before the class's start date (``today``: Hanoi's date),
    so a future class never counts toward the requirement ahead of time.
    """
    if not in_person_class.has_started(today or timezone.localdate()):
        raise ClassNotStartedError(in_person_class)
    officers = list(officers)
    present = set(
        TrainingRecord.objects.valid()
        .filter(in_person_class=in_person_class, officer__in=officers)
        .values_list("officer_id", flat=True)
    )
    created = []
    for officer in officers:
        if officer.pk in present:
            continue
        present.add(officer.pk)
        record = _class_record(
            in_person_class=in_person_class, officer=officer, source=source, recorded_by=recorded_by
        )
        if record is not None:
            _announce(record)
            created.append(record)
    return created


def remove_attendance(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Take an officer off a class's list: the record is voided with a reason, never deleted."""
    return void_record(record=record, by=by, reason=reason)


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
    _announce(new)
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


class CheckInOutcome(enum.Enum):
    PRESENT = "present"  # marked present now
    ALREADY_PRESENT = "already_present"  # a repeat scan: nothing changes
    NOT_STARTED = "not_started"
    ENDED = "ended"
    NO_OFFICER = "no_officer"  # the account is not linked to an officer


def check_in(
    *, session: ClassSession, user, now: datetime | None = None
) -> tuple[CheckInOutcome, TrainingRecord | None]:
    """Mark the signed-in ``user``'s officer present at ``session``'s class.

    Accepted only while the session runs (server clock, Hanoi wall-clock session times):
    never before it starts, never after it ends. Once per officer per class: a repeat
    scan returns ALREADY_PRESENT and the existing record.
    """
    now = now or timezone.now()
    officer = Officer.objects.filter(user=user).first() if user.is_authenticated else None
    if officer is None:
        return CheckInOutcome.NO_OFFICER, None
    if now < session.starts_at:
        return CheckInOutcome.NOT_STARTED, None
    if now > session.ends_at:
        return CheckInOutcome.ENDED, None
    try:
        created = record_attendance(
            in_person_class=session.in_person_class,
            officers=[officer],
            source=RecordSource.CHECK_IN,
            recorded_by=user,
            today=timezone.localdate(now),
        )
    except ClassNotStartedError:  # a session dated before the class (its dates were edited)
        return CheckInOutcome.NOT_STARTED, None
    if created:
        return CheckInOutcome.PRESENT, created[0]
    existing = TrainingRecord.objects.valid().get(in_person_class=session.in_person_class, officer=officer)
    return CheckInOutcome.ALREADY_PRESENT, existing


def rotate_check_in_token(*, session: ClassSession) -> ClassSession:
    """Give the session a new check-in token; the old QR code stops working at once."""
    session.check_in_token = new_check_in_token()
    session.save(update_fields=["check_in_token"])
    return session
