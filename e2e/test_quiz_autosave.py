"""Autosave on a flaky connection: a save whose response was lost."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from courses import services
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
