"""The periodic task runs in a real worker process and closes an abandoned timed attempt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.models import AttemptState, CloseReason, QuizAttempt
from courses.tasks import close_overdue_attempts
from courses.tests.conftest import build_course
from lms.testing.servers import celery_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_closes_an_abandoned_attempt(learner):
    _, _, quiz = build_course(time_limit_minutes=10)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    with celery_worker():
        # The broker's folder is shared by the suite's worker tests: a run queued earlier may reach
        # this worker first and close the attempt, leaving ours nothing to do. Either way a real
        # worker closed it, which is what is checked below.
        assert close_overdue_attempts.delay().get(timeout=60) in (0, 1)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.close_reason == CloseReason.TIMED_OUT
    assert attempt.passed is False
