"""The attempt page's questions, built in Python: escaped, answers kept, nothing revealed."""

import re

from django.utils import translation

from courses import selectors, services
from courses.attempt_form import question_fields
from courses.tests.conftest import build_course, every_question_type, single


def _fields(learner, questions, answers=None):
    _, _, quiz = build_course(lessons=1, questions=questions)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    if answers:
        attempt.answers = answers(attempt)
    return attempt, str(question_fields(selectors.attempt_questions(attempt, reveal=False)))


def test_text_from_editors_and_learners_is_escaped(learner):
    hostile = '<script>alert("x")</script>'
    attempt, html = _fields(
        learner,
        [single(f"Câu {hostile}\ndòng hai", [hostile, "b"], 0)]
        + [q for q in every_question_type() if q["type"] == "short_answer"],
        answers=lambda a: {a.questions[-1]["id"]: f'"><b>{hostile}'},
    )
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;") == 3  # the prompt, the option and the typed answer
    assert "dòng hai" in html and "<br>" in html  # the prompt's line break is kept


def test_saved_answers_are_checked_and_every_type_has_its_field(learner):
    def answers(attempt):
        chosen = {}
        for q in attempt.questions:
            if q["type"] == "multiple_choice":
                chosen[q["id"]] = [q["options"][0]["key"], q["options"][1]["key"]]
            elif q["type"] == "true_false":
                chosen[q["id"]] = "false"
            elif q["type"] == "short_answer":
                chosen[q["id"]] = "Ban chấp hành"
            else:
                chosen[q["id"]] = q["options"][2]["key"]
        return chosen

    attempt, html = _fields(learner, every_question_type(), answers)
    assert html.count("<fieldset") == 4
    assert len(re.findall(r'type="checkbox"[^>]* checked', html)) == 2
    assert re.search(r'type="radio" name="q-[^"]+" value="false" checked', html)
    assert len(re.findall(r'type="radio"[^>]* checked', html)) == 2  # true/false and single choice
    assert 'value="Ban chấp hành"' in html
    assert html.count('-present" value="1"') == 1  # an empty multiple choice still saves as empty


def test_nothing_tells_which_answer_is_right(learner):
    attempt, html = _fields(learner, every_question_type())
    assert "correct" not in html and "right" not in html
    for question in attempt.questions:
        for accepted in question.get("accepted", []):
            assert accepted not in html
        assert question.get("feedback", "§") not in html


def test_labels_are_in_the_learners_language(learner):
    questions = [single("Câu hỏi", ["a", "b"], 0, points=1.5)]
    with translation.override("vi"):
        _, vietnamese = _fields(learner, questions)
    with translation.override("en"):
        _, english = _fields(learner, questions)
    assert "Câu 1" in vietnamese and "(1,50 điểm)" in vietnamese
    assert "Question 1" in english and "(1.50 pt)" in english
