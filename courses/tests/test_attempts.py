"""Quiz attempts: snapshots, sequence checks, deadlines, limits and single submission."""

import json
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.models import AttemptState, CloseReason, QuizAttempt
from courses.tasks import BEAT_SCHEDULE, close_overdue_attempts
from courses.tests.conftest import build_course, right_answers, short, single, true_false
from organizations.tests.factories import OfficerFactory
from training.models import TrainingRecord


def test_snapshot_is_isolated_from_later_edits(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt)
    prompts = [q["prompt"] for q in attempt.questions]

    # The editor rewrites the quiz and publishes: every answer now differs, one question removed.
    quiz.questions = json.dumps(
        [true_false("Câu hỏi mới hoàn toàn", "true", points=10), single("Khác", ["x", "y"], 1)]
    )
    quiz.pass_mark = 100
    quiz.save_revision().publish()

    attempt.refresh_from_db()
    assert [q["prompt"] for q in attempt.questions] == prompts
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)
    attempt = services.submit_attempt(attempt_id=attempt.pk, officer=officer)
    assert attempt.percent == 100 and attempt.passed
    assert attempt.snapshot["pass_mark"] == 60


def test_draw_and_shuffle_are_frozen_in_the_snapshot(db, officer):
    questions = [single(f"Câu {i}", ["a", "b", "c", "d"], 0) for i in range(10)]
    _, _, quiz = build_course(questions=questions, draw_count=4, shuffle_questions=True, shuffle_options=True)
    attempt = services.start_attempt(officer=officer, quiz=quiz, rng=random.Random(3))
    assert len(attempt.questions) == 4
    assert {q["id"] for q in attempt.questions} <= {q["id"] for q in questions}
    again = services.start_attempt(officer=officer, quiz=quiz)  # resumes, does not redraw
    assert again.pk == attempt.pk and again.questions == attempt.questions


def test_a_drawn_attempt_is_graded_on_the_questions_drawn_only(db, officer):
    questions = [single(f"Câu {i}", ["a", "b"], 0, points=i + 1) for i in range(6)]
    points = {q["id"]: q["value"]["points"] for q in questions}
    _, _, quiz = build_course(questions=questions, draw_count=3, shuffle_questions=True, attempts_allowed=0)
    draws = set()
    for seed in range(6):
        attempt = services.start_attempt(officer=officer, quiz=quiz, rng=random.Random(seed))
        drawn = [q["id"] for q in attempt.questions]
        assert len(set(drawn)) == 3
        draws.add(tuple(drawn))
        attempt = services.submit_attempt(
            attempt_id=attempt.pk, officer=officer, answers=right_answers(attempt), sequence=0
        )
        assert attempt.max_score == sum(points[qid] for qid in drawn) and attempt.percent == 100
    assert len(draws) > 1  # other questions, or the same in another order


def test_option_keys_say_nothing_about_where_the_editor_put_the_right_answer(db, officer, tree):
    # The editor puts the right answer first, without shuffling: the page shows options in
    # order, but the values the browser submits must not reveal the editor's positions.
    questions = [single(f"Câu {i}", ["đúng", "sai 1", "sai 2", "sai 3"], 0) for i in range(6)]
    _, _, quiz = build_course(questions=questions, shuffle_options=False)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    keys = [o["key"] for q in attempt.questions for o in q["options"]]
    assert not set(keys) & {"0", "1", "2", "3"}
    assert len(set(keys)) == len(keys)  # unique, also across questions in practice
    right_keys = {q["options"][0]["key"] for q in attempt.questions}
    assert len(right_keys) == len(attempt.questions)  # no shared "right" key to pick blindly

    # Another learner's attempt at the same quiz gets other keys.
    other = OfficerFactory(unit=tree["ga"])
    other_keys = [
        o["key"] for q in services.start_attempt(officer=other, quiz=quiz).questions for o in q["options"]
    ]
    assert not set(keys) & set(other_keys)


def test_shuffle_options_varies_the_order_between_attempts(db, officer, tree):
    _, _, quiz = build_course(questions=[single("Câu", list("abcdef"), 0)], shuffle_options=True)
    orders = set()
    for _ in range(8):
        learner = OfficerFactory(unit=tree["ga"])
        attempt = services.start_attempt(officer=learner, quiz=quiz)
        orders.add(tuple(o["text"] for o in attempt.questions[0]["options"]))
    assert len(orders) > 1  # 8 draws of 720 orders all equal: p ≈ 1e-20


def test_stale_sequence_cannot_overwrite_a_newer_answer(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid = attempt.questions[0]["id"]
    key_a, key_b = attempt.questions[0]["options"][0]["key"], attempt.questions[0]["options"][1]["key"]

    newer = services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0)
    assert newer.saved and newer.attempt.sequence == 1
    # The older tab still holds sequence 0.
    stale = services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_b}, sequence=0)
    assert not stale.saved and stale.reason == "stale"
    attempt.refresh_from_db()
    assert attempt.answers[qid] == key_a and attempt.sequence == 1
    with pytest.raises(services.StaleSequence):
        services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers={qid: key_b}, sequence=0)
    attempt.refresh_from_db()
    assert attempt.is_open


def _keys(attempt):
    """The first question's id and two of its option keys."""
    question = attempt.questions[0]
    return question["id"], question["options"][0]["key"], question["options"][1]["key"]


def test_a_save_repeated_after_a_lost_response_is_applied_once(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid, key_a, _ = _keys(attempt)
    first = services.save_answers(
        attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="tab-1"
    )
    assert first.saved and first.attempt.sequence == 1
    # The response never reached the page: it sends the same save again, twice.
    for _ in range(2):
        again = services.save_answers(
            attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="tab-1"
        )
        assert again.saved and again.reason == ""
        assert again.attempt.sequence == 1  # a pure repeat is not a new save
    attempt.refresh_from_db()
    assert attempt.answers == {qid: key_a} and attempt.sequence == 1


def test_a_retry_after_a_lost_response_carries_the_answers_typed_meanwhile(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid, key_a, _ = _keys(attempt)
    tf = next(q["id"] for q in attempt.questions if q["type"] == "true_false")
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="t")
    # Lost response; meanwhile the learner answered another question; the page merges both
    # into its retry, still with sequence 0. The retry's response is lost too, and it retries again.
    retry = {qid: key_a, tf: "true"}
    for _ in range(2):
        outcome = services.save_answers(
            attempt_id=attempt.pk, officer=officer, answers=retry, sequence=0, tab="t"
        )
        assert outcome.saved and outcome.attempt.sequence == 2
    # The page learns sequence 2 and carries on normally.
    then = services.save_answers(
        attempt_id=attempt.pk, officer=officer, answers={tf: "false"}, sequence=2, tab="t"
    )
    assert then.saved and then.attempt.sequence == 3
    attempt.refresh_from_db()
    assert attempt.answers == {qid: key_a, tf: "false"}


def test_another_tab_with_an_old_sequence_is_still_refused(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid, key_a, key_b = _keys(attempt)
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="new")
    # An older tab (other token, or none: the form without JavaScript) still holds sequence 0.
    for tab in ("old", ""):
        stale = services.save_answers(
            attempt_id=attempt.pk, officer=officer, answers={qid: key_b}, sequence=0, tab=tab
        )
        assert not stale.saved and stale.reason == "stale"
    attempt.refresh_from_db()
    assert attempt.answers == {qid: key_a} and attempt.sequence == 1


def test_a_lost_response_cannot_be_replayed_over_another_tabs_newer_save(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid, key_a, key_b = _keys(attempt)
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="a")
    # Tab B, loaded after A's save, saves a newer answer; then A's retry arrives.
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={qid: key_b}, sequence=1, tab="b")
    retry = services.save_answers(
        attempt_id=attempt.pk, officer=officer, answers={qid: key_a}, sequence=0, tab="a"
    )
    assert not retry.saved and retry.reason == "stale"
    attempt.refresh_from_db()
    assert attempt.answers == {qid: key_b} and attempt.sequence == 2


def test_answers_to_questions_not_drawn_are_ignored(course, officer):
    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={"forged": "1"}, sequence=0)
    attempt.refresh_from_db()
    assert "forged" not in attempt.answers


def test_time_limit_is_enforced_on_the_server(db, officer):
    _, _, quiz = build_course(time_limit_minutes=5)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=5)
    answers = right_answers(attempt)
    first = next(iter(answers))
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers={first: answers[first]}, sequence=0)

    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    late = services.save_answers(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=1)
    assert not late.saved and late.reason == "timed_out"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.close_reason == CloseReason.TIMED_OUT
    assert list(attempt.answers) == [first]  # graded with what was saved in time
    assert attempt.score == 1


def test_overdue_attempts_are_closed_by_the_periodic_task(db, officer):
    _, _, quiz = build_course(time_limit_minutes=1)
    overdue = services.start_attempt(officer=officer, quiz=quiz)
    QuizAttempt.objects.filter(pk=overdue.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    _, _, other_quiz = build_course(time_limit_minutes=30)
    running = services.start_attempt(officer=officer, quiz=other_quiz)

    assert close_overdue_attempts() == 1
    assert close_overdue_attempts() == 0  # idempotent
    overdue.refresh_from_db()
    running.refresh_from_db()
    assert overdue.state == AttemptState.FINISHED and overdue.passed is False
    assert running.is_open


def test_beat_schedule_is_registered_by_the_app():
    from lms.celery import app

    assert (
        app.conf.beat_schedule["courses.close_overdue_attempts"]
        == BEAT_SCHEDULE["courses.close_overdue_attempts"]
    )
    assert "courses.tasks.close_overdue_attempts" in app.tasks


def test_attempt_limit_is_refused(db, officer):
    _, _, quiz = build_course(attempts_allowed=2)
    for _ in range(2):
        attempt = services.start_attempt(officer=officer, quiz=quiz)
        services.submit_attempt(attempt_id=attempt.pk, officer=officer)
    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(officer=officer, quiz=quiz)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 2


def test_unlimited_attempts_are_never_refused(db, officer):
    _, _, quiz = build_course(attempts_allowed=0)
    for _ in range(5):
        attempt = services.start_attempt(officer=officer, quiz=quiz)
        services.submit_attempt(attempt_id=attempt.pk, officer=officer)
    assert QuizAttempt.objects.filter(quiz=quiz, officer=officer).count() == 5


def test_answers_posted_with_a_late_submit_do_not_count(db, officer):
    _, _, quiz = build_course(time_limit_minutes=5)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    attempt = services.submit_attempt(
        attempt_id=attempt.pk, officer=officer, answers=right_answers(attempt), sequence=0
    )
    assert attempt.close_reason == CloseReason.TIMED_OUT
    assert attempt.answers == {} and attempt.score == 0 and not attempt.passed


def test_quiz_without_questions_cannot_be_started(db, officer):
    _, _, quiz = build_course(questions=[])
    with pytest.raises(services.QuizUnavailable):
        services.start_attempt(officer=officer, quiz=quiz)


def test_double_submit_records_one_result(course, officer):
    course_page, lessons, quiz = course
    for lesson in lessons:
        services.complete_lesson(officer=officer, lesson=lesson)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt)
    first = services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)
    finished_at = first.finished_at
    # A second tab posts different answers with the same sequence; a retried request repeats.
    wrong = {qid: "" for qid in answers}
    second = services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=wrong, sequence=0)
    third = services.close_attempt(attempt_id=attempt.pk, reason=CloseReason.SUBMITTED)
    assert second.finished_at == third.finished_at == finished_at
    assert second.percent == 100
    assert TrainingRecord.objects.filter(officer=officer, course=course_page).count() == 1


def test_another_learners_attempt_cannot_be_saved_through_services(course, officer, tree):
    from organizations.tests.factories import OfficerFactory

    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    intruder = OfficerFactory(unit=tree["gb"])
    with pytest.raises(QuizAttempt.DoesNotExist):
        services.save_answers(attempt_id=attempt.pk, officer=intruder, answers={}, sequence=0)
    with pytest.raises(QuizAttempt.DoesNotExist):
        services.submit_attempt(attempt_id=attempt.pk, officer=intruder)


def test_the_autosave_finds_the_attempt_by_the_learners_account(course, officer, tree, django_user_model):
    """The page's autosave passes the signed-in account, not its officer: only that account's
    officer's attempt is found, and an account that is no officer finds none."""
    from organizations.tests.factories import OfficerFactory

    _, _, quiz = course
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid = attempt.questions[0]["id"]
    saved = services.save_answers(attempt_id=attempt.pk, user=officer.user, answers={qid: "x"}, sequence=0)
    assert saved.saved and saved.attempt.sequence == 1
    intruder = OfficerFactory(unit=tree["gb"], user=django_user_model.objects.create_user("intruder"))
    staff = django_user_model.objects.create_user("editor", is_staff=True)
    for account in (intruder.user, staff):
        with pytest.raises(QuizAttempt.DoesNotExist):
            services.save_answers(attempt_id=attempt.pk, user=account, answers={qid: "y"}, sequence=1)
    attempt.refresh_from_db()
    assert attempt.answers[qid] == "x" and attempt.sequence == 1
    with pytest.raises(TypeError):
        services.save_answers(attempt_id=attempt.pk, answers={}, sequence=1)
    with pytest.raises(TypeError):
        services.save_answers(
            attempt_id=attempt.pk, officer=officer, user=officer.user, answers={}, sequence=1
        )


def test_short_answer_snapshot_keeps_the_diacritics_setting(db, officer):
    _, _, quiz = build_course(
        questions=[short("Tên viết tắt?", ["Tuyên truyền viên"], ignore_diacritics=True)]
    )
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    qid = attempt.questions[0]["id"]
    attempt = services.submit_attempt(
        attempt_id=attempt.pk, officer=officer, answers={qid: " tuyen truyen VIEN "}, sequence=0
    )
    assert attempt.passed


@pytest.mark.parametrize("withdraw", ["course", "quiz"])
def test_an_open_attempt_of_a_withdrawn_quiz_is_frozen_and_records_nothing(db, officer, withdraw):
    course_page, lessons, quiz = build_course(time_limit_minutes=5)
    for lesson in lessons:
        services.complete_lesson(officer=officer, lesson=lesson)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt)
    (course_page if withdraw == "course" else quiz).unpublish()

    outcome = services.save_answers(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)
    assert not outcome.saved and outcome.reason == "withdrawn"
    with pytest.raises(services.QuizWithdrawn):
        services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)
    assert services.close_attempt(attempt_id=attempt.pk, reason=CloseReason.SUBMITTED).is_open
    # Past its deadline the periodic closer leaves it alone too, without failing.
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert close_overdue_attempts() == 0

    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {} and attempt.sequence == 0 and attempt.passed is None
    assert not TrainingRecord.objects.exists()
    assert not course_page.enrolments.get(officer=officer).is_completed


def test_a_frozen_attempt_is_closed_once_the_course_is_published_again(db, officer):
    course_page, lessons, quiz = build_course(time_limit_minutes=5)
    for lesson in lessons:
        services.complete_lesson(officer=officer, lesson=lesson)
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    services.save_answers(attempt_id=attempt.pk, officer=officer, answers=right_answers(attempt), sequence=0)
    course_page.unpublish()
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert close_overdue_attempts() == 0

    course_page.refresh_from_db()
    course_page.save_revision().publish()
    assert close_overdue_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.close_reason == CloseReason.TIMED_OUT and attempt.passed  # graded with what was saved
    assert TrainingRecord.objects.filter(officer=officer, course=course_page).count() == 1


def test_finishing_the_last_lesson_records_nothing_while_the_course_is_unpublished(db, officer):
    course_page, lessons, quiz = build_course()
    services.complete_lesson(officer=officer, lesson=lessons[0])
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    answers = right_answers(attempt)
    services.submit_attempt(attempt_id=attempt.pk, officer=officer, answers=answers, sequence=0)
    course_page.unpublish()
    services.complete_lesson(officer=officer, lesson=lessons[1])  # e.g. called by a script, not the 404 view
    assert not TrainingRecord.objects.exists()
    assert not course_page.enrolments.get(officer=officer).is_completed


def test_the_periodic_closer_goes_on_when_a_quiz_is_deleted_while_it_runs(db, officer, monkeypatch):
    attempts = []
    for _ in range(2):
        _, _, quiz = build_course(time_limit_minutes=1)
        attempts.append(services.start_attempt(officer=officer, quiz=quiz))
    QuizAttempt.objects.update(deadline=timezone.now() - timedelta(minutes=2))
    first_quiz = attempts[0].quiz
    close = services.close_attempt

    def editor_deletes_the_first_quiz_meanwhile(*, attempt_id, **kwargs):
        if attempt_id == attempts[0].pk:
            first_quiz.delete()
        return close(attempt_id=attempt_id, **kwargs)

    monkeypatch.setattr(services, "close_attempt", editor_deletes_the_first_quiz_meanwhile)
    assert services.close_overdue_attempts() == [attempts[1].pk]
    assert QuizAttempt.objects.get().state == AttemptState.FINISHED
