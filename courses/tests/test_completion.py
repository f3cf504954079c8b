"""Passing a course records one training, through the ledger's public function."""

import pytest

from courses import services
from courses.models import Enrolment, EnrolmentSource, LessonCompletion
from courses.selectors import course_status
from courses.tests.conftest import build_course, right_answers
from training.models import TrainingRecord


def pass_quiz(officer, quiz, right=True):
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt) if right else {}
    return services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)


def test_course_completion_is_recorded_once_with_course_settings(course, officer, learner):
    course_page, lessons, quiz = course
    services.complete_lesson(officer=officer, lesson=lessons[0], user=learner)
    assert pass_quiz(officer, quiz).passed
    assert not TrainingRecord.objects.exists()  # one lesson still open
    services.complete_lesson(officer=officer, lesson=lessons[1], user=learner)
    services.complete_lesson(officer=officer, lesson=lessons[1], user=learner)  # again: idempotent
    pass_quiz(officer, quiz)  # another passed attempt changes nothing

    record = TrainingRecord.objects.get()
    assert record.officer == officer and record.course_id == course_page.pk
    assert record.hours == 3 and record.score == 100
    assert record.counts_toward_requirement and record.grants_certificate
    assert record.recorded_by == learner
    assert Enrolment.objects.get(officer=officer).completed_at is not None
    assert LessonCompletion.objects.filter(officer=officer).count() == 2


def test_failed_quiz_does_not_complete_the_course(course, officer):
    _, lessons, quiz = course
    for lesson in lessons:
        services.complete_lesson(officer=officer, lesson=lesson)
    attempt = pass_quiz(officer, quiz, right=False)
    assert attempt.passed is False
    assert not TrainingRecord.objects.exists()
    status = course_status(officer, quiz.get_parent().specific)
    assert status.percent == round(100 * 2 / 3) and status.next_item.pk == quiz.pk


def test_completing_a_lesson_enrols_the_learner(course, officer):
    course_page, lessons, _ = course
    services.complete_lesson(officer=officer, lesson=lessons[0])
    enrolment = Enrolment.objects.get(officer=officer, course=course_page)
    assert enrolment.source == EnrolmentSource.SELF and enrolment.last_page_id == lessons[0].pk


@pytest.mark.django_db
def test_a_course_without_items_is_never_passed(officer):
    course_page, _, quiz = build_course(lessons=0)
    quiz.unpublish()
    assert not course_status(officer, course_page).is_passed
