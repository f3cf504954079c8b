"""Writes for online learning: enrolment, lesson completion, quiz attempts, course completion.

Views, tasks and commands call these; none of them change these models directly.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.models import Page

from organizations.models import Officer
from training.audit.assignments import mark_started

from .grading import MULTIPLE, SHORT, build_snapshot, grade_attempt
from .models import (
    AttemptState,
    CloseReason,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    QuizPage,
)

# Saves that reach the server a moment after the deadline (slow network) still count.
GRACE = timedelta(seconds=15)
MAX_ANSWER_LENGTH = 1000
MAX_TAB_LENGTH = 64


class LearningError(Exception):
    """A refusal the learner should be told about (the message is translated by the view)."""

    code = "error"


class AttemptLimitReached(LearningError):
    code = "limit"


class QuizUnavailable(LearningError):
    code = "empty"


class StaleSequence(LearningError):
    code = "stale"


class AttemptClosed(LearningError):
    code = "closed"


class QuizWithdrawn(LearningError):
    """The attempt's quiz or its course was unpublished (or expired) while the attempt was open."""

    code = "withdrawn"


def enrol(
    *, officer: Officer, course: CoursePage, source: str = EnrolmentSource.SELF, assigned_by=None
) -> tuple[Enrolment, bool]:
    """Enrol ``officer`` in ``course``. Idempotent: an existing enrolment is returned unchanged."""
    existing = Enrolment.objects.filter(officer=officer, course=course).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return (
                Enrolment.objects.create(
                    officer=officer, course=course, source=source, assigned_by=assigned_by
                ),
                True,
            )
    except IntegrityError:
        return Enrolment.objects.get(officer=officer, course=course), False


@transaction.atomic
def assign_course(*, course: CoursePage, officers, by) -> int:
    """Enrol each officer as assigned by ``by``; returns how many were newly enrolled.

    The caller has already limited ``officers`` to the manager's scope.
    """
    created = 0
    for officer in officers:
        _, was_created = enrol(
            officer=officer, course=course, source=EnrolmentSource.ASSIGNED, assigned_by=by
        )
        created += was_created
    return created


def touch_progress(*, officer: Officer, course_id: int, page_id: int) -> None:
    """Remember where the learner was ("continue where I left off"). Two UPDATEs, no read.

    Called by the lesson and quiz pages on each visit of an enrolled learner, and after a lesson
    is completed or a quiz attempt started. A required course opened becomes "đang học" in the
    audit (its assignment is marked started, once)."""
    now = timezone.now()
    Enrolment.objects.filter(officer=officer, course_id=course_id).update(
        last_page_id=page_id, last_activity_at=now
    )
    mark_started(officer_id=officer.pk, course_id=course_id, at=now)


def enrol_and_touch(*, officer: Officer, course: CoursePage, page_id: int) -> None:
    """``enrol``, then ``touch_progress``: one UPDATE when the learner is enrolled already."""
    now = timezone.now()
    touched = Enrolment.objects.filter(officer=officer, course=course).update(
        last_page_id=page_id, last_activity_at=now
    )
    if not touched:
        enrolment, _ = enrol(officer=officer, course=course)
        Enrolment.objects.filter(pk=enrolment.pk).update(last_page_id=page_id, last_activity_at=now)
    mark_started(officer_id=officer.pk, course_id=course.pk, at=now)


@transaction.atomic
def complete_lesson(*, officer: Officer, lesson: LessonPage, user=None) -> LessonCompletion:
    """Mark a lesson completed (idempotent), enrolling the learner if needed, then check the course."""
    course = CoursePage.objects.get(path=lesson.path[: -Page.steplen])
    enrol(officer=officer, course=course)
    completion, _ = LessonCompletion.objects.get_or_create(
        officer=officer, lesson=lesson, defaults={"course": course}
    )
    touch_progress(officer=officer, course_id=course.pk, page_id=lesson.pk)
    check_course_completion(officer=officer, course=course, user=user)
    return completion


def complete_lesson_once(*, officer: Officer, lesson: LessonPage, user=None) -> tuple[LessonCompletion, bool]:
    """``complete_lesson``, telling whether this call recorded it (False: it was already done).
    Idempotent, also under concurrent retries (the one-completion-per-lesson constraint)."""
    existed = LessonCompletion.objects.filter(officer=officer, lesson=lesson).exists()
    try:
        completion = complete_lesson(officer=officer, lesson=lesson, user=user)
    except IntegrityError:  # a concurrent retry recorded it first
        return LessonCompletion.objects.get(officer=officer, lesson=lesson), False
    return completion, not existed


# --- Quiz attempts ------------------------------------------------------------------------


def start_attempt(
    *, officer: Officer, quiz: QuizPage, course: CoursePage | None = None, rng: random.Random | None = None
) -> QuizAttempt:
    """Open an attempt, or return the learner's attempt already open (one past its deadline is
    closed and graded first).

    Refuses (AttemptLimitReached) when the quiz's limit is used up. The questions drawn,
    their order and the grading data are frozen into the attempt's snapshot. ``course`` is the
    quiz's course, when the caller has read it already.
    """
    now = timezone.now()
    # Drawn before the lock is taken (pure Python); unused when an attempt is open already.
    snapshot = build_snapshot(quiz, rng)
    if course is None:
        course = CoursePage.objects.get(path=quiz.path[: -Page.steplen])
    try:
        with transaction.atomic():
            # Starts of one officer queue on the officer's row, so the checks below see any
            # attempt a concurrent start just opened (READ COMMITTED alone leaves a window).
            Officer.objects.select_for_update().filter(pk=officer.pk).first()
            mine = QuizAttempt.objects.filter(officer=officer, quiz=quiz).aggregate(
                used=Max("number"), open_id=Max("pk", filter=Q(state=AttemptState.IN_PROGRESS))
            )
            if mine["open_id"]:
                existing = QuizAttempt.objects.get(pk=mine["open_id"])
                if not existing.is_overdue(now - GRACE):
                    return existing
                close_attempt(attempt_id=existing.pk, reason=CloseReason.TIMED_OUT)
            if not snapshot["questions"]:
                raise QuizUnavailable()
            used = mine["used"] or 0
            if quiz.attempts_allowed and used >= quiz.attempts_allowed:
                raise AttemptLimitReached()
            attempt = QuizAttempt.objects.create(
                officer=officer,
                quiz=quiz,
                course=course,
                number=used + 1,
                started_at=now,
                deadline=now + timedelta(minutes=quiz.time_limit_minutes)
                if quiz.time_limit_minutes
                else None,
                snapshot=snapshot,
            )
            enrol_and_touch(officer=officer, course=course, page_id=quiz.pk)
            return attempt
    except IntegrityError:
        # Another request started one at the same moment: use it.
        existing = QuizAttempt.objects.open().filter(officer=officer, quiz=quiz).first()
        if existing:
            return existing
        raise AttemptLimitReached() from None


def is_available(attempt: QuizAttempt) -> bool:
    """Whether the attempt's quiz and course are both still live (one query, none when the
    attempt was read ``locked_with_liveness``).

    An attempt of a withdrawn quiz is frozen: it cannot be saved, submitted or closed, and
    nothing is graded or recorded, until an editor publishes the quiz and course again.
    """
    if hasattr(attempt, "quiz_live"):
        return attempt.quiz_live and attempt.course_live
    return Page.objects.filter(pk__in=(attempt.quiz_id, attempt.course_id), live=True).count() == 2


def pages_are_live(quiz: Page | None, course: Page | None) -> bool:
    """``is_available``'s rule for a quiz and course the caller has read already (either may be
    gone, deleted): both exist and both are live."""
    return quiz is not None and course is not None and quiz.live and course.live


def clean_answers(snapshot: dict, raw: dict) -> dict:
    """Keep only answers to questions of this attempt, in the shape each type expects."""
    cleaned = {}
    for question in snapshot.get("questions", []):
        if question["id"] not in raw:
            continue
        value = raw[question["id"]]
        if question["type"] == MULTIPLE:
            keys = {o["key"] for o in question["options"]}
            values = value if isinstance(value, list) else [value]
            cleaned[question["id"]] = sorted({str(v) for v in values if str(v) in keys})
        elif question["type"] == SHORT:
            cleaned[question["id"]] = str(value or "")[:MAX_ANSWER_LENGTH]
        else:
            value = value[-1] if isinstance(value, list) and value else value
            cleaned[question["id"]] = str(value or "")[:64]
    return cleaned


@dataclass
class SaveOutcome:
    attempt: QuizAttempt
    saved: bool
    reason: str = ""  # "", "stale", "closed", "timed_out", "withdrawn"


def save_answers(
    *,
    attempt_id: int,
    officer: Officer | None = None,
    user=None,
    answers: dict,
    sequence: int | None,
    tab: str = "",
) -> SaveOutcome:
    """Save answers to an open attempt if ``sequence`` is the attempt's current one.

    A save from an older page (a stale tab) is refused and changes nothing; a save after
    the deadline closes and grades the attempt with what was saved before.

    ``tab`` is a random token the page's script makes once per page load. When a save
    reached the server but its response was lost, the page retries with the sequence it
    still holds, plus any answers typed meanwhile. If that page made the last accepted
    save with that very sequence, nothing was saved by anyone since, so the retry is
    accepted: a pure repeat changes nothing (the current sequence is returned), newer
    answers in it are applied as a new save. Another page with an old sequence is still
    refused. Raises QuizAttempt.DoesNotExist for another learner's attempt.

    The attempt must be ``officer``'s, or (given ``user`` instead, as the page's autosave does)
    the attempt of ``user``'s officer: read in the locking query, with no query for the officer.
    """
    if (officer is None) == (user is None):
        raise TypeError("save_answers needs either officer or user")
    whose = {"officer": officer} if officer is not None else {"officer__user": user}
    tab = tab[:MAX_TAB_LENGTH]
    with transaction.atomic():
        attempt = QuizAttempt.objects.locked_with_liveness().get(pk=attempt_id, **whose)
        if not attempt.is_open:
            return SaveOutcome(attempt, False, "closed")
        if not is_available(attempt):
            return SaveOutcome(attempt, False, "withdrawn")
        if attempt.is_overdue(timezone.now() - GRACE):
            timed_out = True
        else:
            timed_out = False
            current = sequence is not None and sequence == attempt.sequence
            repeat = bool(tab) and (tab, sequence) == (attempt.last_save_tab, attempt.last_save_sequence)
            if not (current or repeat):
                return SaveOutcome(attempt, False, "stale")
            merged = {**attempt.answers, **clean_answers(attempt.snapshot, answers)}
            if current or merged != attempt.answers:
                attempt.answers = merged
                attempt.sequence += 1  # the row is locked: no other save can interleave
                attempt.last_save_tab, attempt.last_save_sequence = tab, sequence
                attempt.save(update_fields=["answers", "sequence", "last_save_tab", "last_save_sequence"])
            return SaveOutcome(attempt, True)
    if timed_out:
        attempt = close_attempt(attempt_id=attempt.pk, reason=CloseReason.TIMED_OUT)
        return SaveOutcome(attempt, False, "timed_out")


def submit_attempt(
    *, attempt_id: int, officer: Officer, answers: dict | None = None, sequence: int | None = None, user=None
) -> QuizAttempt:
    """Submit an attempt: save the final answers (if current) and grade from the snapshot.

    Records one result however often it is called (double click, two tabs, retries):
    a finished attempt is returned as it is. Raises StaleSequence when the answers
    posted come from an older page than the last save, QuizWithdrawn when the quiz or
    its course is no longer live. Raises QuizAttempt.DoesNotExist for another learner's
    attempt. One transaction, the attempt row locked once.
    """
    with transaction.atomic():
        attempt = QuizAttempt.objects.locked_with_liveness().get(pk=attempt_id, officer=officer)
        if not attempt.is_open:
            return attempt
        if not is_available(attempt):
            raise QuizWithdrawn()
        overdue = attempt.is_overdue(timezone.now() - GRACE)
        if answers is not None and not overdue:
            if sequence != attempt.sequence:
                raise StaleSequence()
            attempt.answers = {**attempt.answers, **clean_answers(attempt.snapshot, answers)}
            attempt.sequence += 1
        return _grade_and_close(
            attempt, reason=CloseReason.TIMED_OUT if overdue else CloseReason.SUBMITTED, user=user
        )


def close_attempt(*, attempt_id: int, reason: str, user=None) -> QuizAttempt:
    """Grade and close an open attempt with its saved answers. Idempotent.

    An attempt of a withdrawn quiz is returned still open (see ``is_available``).
    """
    with transaction.atomic():
        attempt = QuizAttempt.objects.locked_with_liveness().get(pk=attempt_id)
        if not attempt.is_open or not is_available(attempt):
            return attempt
        return _grade_and_close(attempt, reason=reason, user=user)


def _grade_and_close(attempt: QuizAttempt, *, reason: str, user=None) -> QuizAttempt:
    """Grade a locked open attempt and close it (inside the caller's transaction).

    The state change is a conditional UPDATE (…WHERE state = in_progress), so of two
    concurrent closers exactly one grades and records the result.
    """
    result = grade_attempt(attempt.snapshot, attempt.answers)
    fields = {
        "answers": attempt.answers,
        "sequence": attempt.sequence,
        "state": AttemptState.FINISHED,
        "close_reason": reason,
        "finished_at": timezone.now(),
        "score": Decimal(str(result.score)),
        "max_score": Decimal(str(result.max_score)),
        "percent": Decimal(str(result.percent)),
        "passed": result.passed(attempt.snapshot.get("pass_mark", 100)),
        "results": [
            {"id": q.id, "earned": q.earned, "points": q.points, "correct": q.correct}
            for q in result.questions
        ],
    }
    closed = QuizAttempt.objects.filter(pk=attempt.pk, state=AttemptState.IN_PROGRESS).update(**fields)
    if not closed:
        return QuizAttempt.objects.get(pk=attempt.pk)
    for name, value in fields.items():
        setattr(attempt, name, value)
    if fields["passed"]:
        course = CoursePage.objects.get(pk=attempt.course_id)
        check_course_completion(officer=attempt.officer, course=course, user=user)
    return attempt


def close_overdue_attempts(now=None) -> list[int]:
    """Close and grade every open attempt past its deadline (plus grace). Returns their ids.

    Attempts of a withdrawn quiz or course stay open, ungraded, until it is published again.
    """
    cutoff = (now or timezone.now()) - GRACE
    ids = list(
        QuizAttempt.objects.overdue(cutoff)
        .filter(quiz__live=True, course__live=True)
        .values_list("pk", flat=True)
    )
    closed = []
    for attempt_id in ids:
        try:
            close_attempt(attempt_id=attempt_id, reason=CloseReason.TIMED_OUT)
        except QuizAttempt.DoesNotExist:
            continue  # deleted with its quiz since the list was read: the others still get closed
        closed.append(attempt_id)
    return closed


# --- Course completion -------------------------------------------------------------------


def check_course_completion(*, officer: Officer, course: CoursePage, user=None):
    """If every live lesson is completed and every live quiz passed, record the course once.

    The enrolment's ``completed_at`` is set by a conditional UPDATE, so only the first
    caller records the completion in the training ledger (which is itself idempotent
    per officer, course and year). Returns the TrainingRecord when this call created it.
    """
    from training.ledger.services import record_course_completion

    from .selectors import course_status

    if not course.live:  # a withdrawn course records nothing, whatever path led here
        return None
    status = course_status(officer, course)
    if not status.is_passed:
        return None
    with transaction.atomic():
        enrol(officer=officer, course=course)
        now = timezone.now()
        updated = Enrolment.objects.filter(officer=officer, course=course, completed_at__isnull=True).update(
            completed_at=now
        )
        if not updated:
            return None
        record, created = record_course_completion(
            officer=officer,
            course=course,
            completed_on=timezone.localdate(now),
            hours=course.estimated_hours,
            score=status.score,
            counts_toward_requirement=course.counts_toward_requirement,
            grants_certificate=course.grants_certificate,
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        return record if created else None
