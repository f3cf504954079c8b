"""Autosave on a flaky connection: a lost response and a save still pending when time runs out."""

import re
import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from courses import services
from courses.models import CloseReason, QuizAttempt
from courses.tests.conftest import build_course, default_questions
from e2e.conftest import sign_in


def _start(learner, **quiz_fields):
    _, _, quiz = build_course(questions=default_questions(4), **quiz_fields)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    return attempt, {q["type"]: q for q in attempt.questions}


def test_a_save_whose_response_was_lost_is_retried_and_nothing_is_lost(page, learner):
    attempt, by_type = _start(learner)
    true_false, short = by_type["true_false"], by_type["short_answer"]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    lost = []

    def lose_the_first_response(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # the save reaches the server and is applied…
        lost.append(route.request.post_data_json)
        route.abort()  # …but the page never hears back

    sign_in(page, "learner@example.vn")
    page.route("**/save/", lose_the_first_response)
    page.goto(page.base_url + reverse("learn:attempt", args=[attempt.pk]))
    status = page.locator("[data-save-status]")

    page.check(f"input[name='q-{true_false['id']}'][value='true']")
    expect(status).to_contain_text("Chưa lưu được")
    attempt.refresh_from_db()
    assert attempt.answers == {true_false["id"]: "true"}  # it did arrive
    # During the outage the learner answers another question; the retry carries both.
    page.fill(f"input[name='q-{short['id']}']", "Công đoàn cơ sở")
    expect(status).to_have_text("Đã lưu", timeout=10_000)
    assert lost and dialogs == []
    attempt.refresh_from_db()
    assert attempt.answers == {true_false["id"]: "true", short["id"]: "Công đoàn cơ sở"}

    page.reload()
    expect(page.locator(f"input[name='q-{true_false['id']}'][value='true']")).to_be_checked()
    expect(page.locator(f"input[name='q-{short['id']}']")).to_have_value("Công đoàn cơ sở")
    # Not stuck: further answers save and the attempt can be submitted.
    page.check(f"input[name='q-{true_false['id']}'][value='false']")
    expect(status).to_have_text("Đã lưu")
    expect(page.get_by_role("button", name="Nộp bài")).to_be_enabled()
    assert dialogs == []  # never told "changed in another window"
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/result/$"))
    assert len(dialogs) == 1  # only the "submit for grading?" confirmation
    attempt.refresh_from_db()
    assert attempt.answers[true_false["id"]] == "false" and attempt.answers[short["id"]] == "Công đoàn cơ sở"


def test_when_time_runs_out_the_pending_answer_is_saved_then_the_attempt_submitted(page, learner):
    attempt, by_type = _start(learner, time_limit_minutes=1)
    short = by_type["short_answer"]
    sign_in(page, "learner@example.vn")
    deadline = time.time() + 5
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=5))
    refused = []

    def offline_until_the_deadline(route):
        # The connection is down until the deadline, so at 0:00 the answer is still pending;
        # it comes back within the server's grace period.
        if time.time() < deadline:
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/save/", offline_until_the_deadline)
    page.goto(page.base_url + reverse("learn:attempt", args=[attempt.pk]))
    page.fill(f"input[name='q-{short['id']}']", "CĐCS")
    expect(page.locator("[data-save-status]")).to_contain_text("Chưa lưu được")

    page.wait_for_url(re.compile(r"/result/$"), timeout=20_000)
    attempt.refresh_from_db()
    assert refused
    assert attempt.close_reason == CloseReason.SUBMITTED
    assert attempt.answers[short["id"]] == "CĐCS"
    assert attempt.score == 1
