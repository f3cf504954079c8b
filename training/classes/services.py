"""Writes for in-person classes: attendance (ticked, uploaded or by self check-in), taking
someone off a list, and the check-in QR code's token. Each attendance is one ledger record."""

import enum
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.models import Officer

from ..ledger.services import announce, void_record
from ..models import ClassSession, InPersonClass, RecordSource, TrainingKind, TrainingRecord
from ..models.classes import new_check_in_token


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
            announce(record)
            created.append(record)
    return created


def remove_attendance(*, record: TrainingRecord, by, reason: str) -> TrainingRecord:
    """Take an officer off a class's list: the record is voided with a reason, never deleted."""
    return void_record(record=record, by=by, reason=reason)


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
    officer = Officer.objects.for_user(user)
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
