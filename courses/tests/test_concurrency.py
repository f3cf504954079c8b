"""Races that real users produce: two tabs submitting at once, a double click on start."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.tests.conftest import build_course, right_answers
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def target():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_concurrent_submits_record_one_result_and_one_completion(learner):
    officer = learner.officer
    course, lessons, quiz = build_course(lessons=1)
    services.complete_lesson(officer=officer, lesson=lessons[0])
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt)

    results, errors = run_together(
        4,
        lambda: services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0),
    )
    stale = [e for e in errors if isinstance(e, services.StaleSequence)]
    assert len(stale) == len(errors)  # a racer that lost may only be told its page is stale
    assert {r.finished_at for r in results} and len({r.finished_at for r in results}) == 1
    assert TrainingRecord.objects.filter(officer=officer, course=course).count() == 1
    attempt.refresh_from_db()
    assert attempt.passed and attempt.sequence == 1


def test_concurrent_starts_open_one_attempt(learner):
    officer = learner.officer
    _, _, quiz = build_course(attempts_allowed=1)
    results, errors = run_together(4, lambda: services.start_attempt(officer=officer, quiz=quiz).pk)
    assert not errors
    assert len(set(results)) == 1
