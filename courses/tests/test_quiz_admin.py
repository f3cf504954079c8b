"""Editors get clear Vietnamese errors in the Wagtail admin for quiz settings no learner could use."""

import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import QuizPage
from courses.tests.conftest import build_course
from organizations.tests.factories import UserFactory


def options(rights, count=3):
    listing = {"count": count}
    for i in range(count):
        value = {"text": f"Phương án {i + 1}", "is_correct": "on" if i in rights else ""}
        listing[str(i)] = {"value": value, "deleted": "", "order": i, "id": ""}
    return listing


def single_choice(rights=(0,)):
    return (
        "single_choice",
        {"prompt": "Kênh nào nhanh nhất?", "points": "1", "feedback": "", "options": options(rights)},
    )


def quiz_form(quiz, questions, action="action-publish", **fields):
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "intro": rich_text(""),
        "pass_mark": 70,
        "attempts_allowed": 0,
        "time_limit_minutes": "",
        "draw_count": "",
        "review_policy": "after_attempt",
        "questions": streamfield(questions),
    } | fields
    form = nested_form_data(data)
    if action:
        form[action] = action
    return form


def errors_shown(html: str) -> str:
    """Field errors and the StreamField's block errors (sent to the page's script as JSON)."""
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), unescape(html))


@pytest.fixture
def editor(client, db):
    client.force_login(UserFactory(email="bientap@example.vn", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def quiz(db):
    return build_course()[2]


def edit(client, quiz, questions, **kwargs):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[quiz.pk]), quiz_form(quiz, questions, **kwargs)
    )


def test_the_quiz_form_explains_its_settings_in_vietnamese(editor, quiz):
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
    assert "Từ 1 đến 100: tỉ lệ điểm học viên cần đạt" in html
    assert "Trang kết quả hiện gì ngoài điểm số" in html
    assert "Để trống nếu không giới hạn thời gian." in html


def test_a_valid_quiz_publishes(editor, quiz):
    response = edit(editor, quiz, [single_choice()], draw_count=1, time_limit_minutes=15)
    assert response.status_code == 302
    quiz = QuizPage.objects.get(pk=quiz.pk)
    assert (quiz.draw_count, quiz.time_limit_minutes, len(quiz.questions)) == (1, 15, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"draw_count": 3}, "Ngân hàng chỉ có 1 câu hỏi"),
        ({"draw_count": 0}, "lớn hơn hoặc bằng với 1"),
        ({"time_limit_minutes": 0}, "lớn hơn hoặc bằng với 1"),
        ({"pass_mark": 0}, "lớn hơn hoặc bằng với 1"),
        ({"pass_mark": 101}, "nhỏ hơn hoặc bằng với 100"),
    ],
)
def test_settings_out_of_range_are_refused_in_vietnamese(editor, quiz, fields, message):
    before = QuizPage.objects.get(pk=quiz.pk).latest_revision_id
    response = edit(editor, quiz, [single_choice()], **fields)
    assert response.status_code == 200
    assert message in errors_shown(response.content.decode())
    assert QuizPage.objects.get(pk=quiz.pk).latest_revision_id == before


@pytest.mark.parametrize("rights", [(), (0, 1)])
def test_single_choice_needs_exactly_one_right_option_in_the_admin(editor, quiz, rights):
    response = edit(editor, quiz, [single_choice(rights)])
    assert response.status_code == 200
    assert "Hãy đánh dấu đúng một phương án đúng." in errors_shown(response.content.decode())


def test_an_empty_quiz_may_be_saved_as_a_draft_but_not_published(editor, quiz):
    draft = edit(editor, quiz, [], action=None)
    assert draft.status_code == 302
    refused = edit(editor, quiz, [])
    assert refused.status_code == 200
    assert "Hãy thêm ít nhất một câu hỏi trước khi xuất bản" in errors_shown(refused.content.decode())
    live = QuizPage.objects.get(pk=quiz.pk)
    assert len(live.questions) == 3  # the published quiz keeps its questions
