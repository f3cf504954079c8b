"""The learning screens: rendering, access, scope and query counts."""

import json
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Enrolment, EnrolmentSource, QuizAttempt
from courses.tests.conftest import build_course, default_questions, every_question_type, right_answers, single
from organizations.tests.factories import OfficerFactory, UserFactory
from training.models import TrainingRecord


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def test_course_lesson_and_quiz_pages_render_in_vietnamese(signed_in, course):
    course_page, lessons, quiz = course
    response = signed_in.get(course_page.url)
    assert response.status_code == 200
    assert "Ghi danh vào khoá học" in response.content.decode()
    body = signed_in.get(lessons[0].url).content.decode()
    assert "Mục 1" in body and "Đánh dấu hoàn thành bài học" in body
    body = signed_in.get(quiz.url).content.decode()
    assert "Bắt đầu làm bài" in body


def test_enrol_then_complete_lesson_updates_progress_at_once(signed_in, course, learner):
    course_page, lessons, _ = course
    signed_in.post(reverse("learn:enrol", args=[course_page.pk]))
    assert Enrolment.objects.filter(officer=learner.officer, source=EnrolmentSource.SELF).exists()
    response = signed_in.post(reverse("learn:complete_lesson", args=[lessons[0].pk]), follow=True)
    body = response.content.decode()
    assert "Đã hoàn thành bài học" in body
    assert "1/3 bước" in body or "1 trên 3" in body or "33%" in body


# What would tell a learner the answers: correctness flags or classes in any form, and the
# review's labels ("right answer", "accepted answers") in Vietnamese.
CORRECTNESS_MARKERS = re.compile(
    r"correct|is_right|is-right|right_keys|accepted|badge--ok|review--|đáp án đúng|được chấp nhận",
    re.IGNORECASE,
)


def _secrets(attempt):
    """Texts of an attempt that only a graded review may show: feedback and accepted answers."""
    texts = [q["feedback"] for q in attempt.questions]
    texts += [text for q in attempt.questions for text in q.get("accepted", [])]
    assert all(texts) and len(texts) == 6
    return texts


def test_open_attempt_html_has_no_correctness_markers(signed_in, db, learner):
    _, _, quiz = build_course(questions=every_question_type())
    response = signed_in.post(reverse("learn:start_attempt", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    assert response.url == reverse("learn:attempt", args=[attempt.pk])
    assert {q["type"] for q in attempt.questions} == {
        "single_choice",
        "true_false",
        "multiple_choice",
        "short_answer",
    }
    html = signed_in.get(response.url).content.decode()
    for question in attempt.questions:
        assert question["prompt"] in html
    for text in _secrets(attempt):
        assert text not in html
    assert not CORRECTNESS_MARKERS.search(html)

    # Graded, with review after each attempt: the same page family now shows all of it.
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    review = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    for text in _secrets(attempt):
        assert text in review
    assert "đáp án đúng" in review and "Các câu trả lời được chấp nhận" in review


@pytest.mark.parametrize(
    ("policy", "why"),
    [
        ("never", "Bài kiểm tra này không cho xem lại đáp án."),
        ("after_passing", "Bạn sẽ xem lại được đáp án sau khi đạt bài kiểm tra này."),
    ],
)
def test_result_shows_no_answers_when_the_quiz_does_not_allow_review_yet(signed_in, db, learner, policy, why):
    _, _, quiz = build_course(questions=every_question_type(), review_policy=policy)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    assert "0%" in html and why in html  # the score is shown, and why the answers are not…
    for text in _secrets(attempt):  # …nor anything that gives them away
        assert text not in html
    assert not CORRECTNESS_MARKERS.search(html)


def test_learner_cannot_read_or_submit_another_learners_attempt(client, course, learner, tree):
    _, _, quiz = course
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    other = UserFactory(email="other@example.vn")
    OfficerFactory(unit=tree["gb"], user=other)
    client.force_login(other)
    assert client.get(reverse("learn:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("learn:attempt", args=[attempt.pk]), {"action": "submit"}).status_code == 404
    assert client.post(reverse("learn:attempt_submit", args=[attempt.pk])).status_code == 404
    assert (
        client.post(
            reverse("learn:attempt_save", args=[attempt.pk]), "{}", content_type="application/json"
        ).status_code
        == 404
    )
    services.close_attempt(attempt_id=attempt.pk, reason="submitted")
    assert client.get(reverse("learn:attempt_result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.close_reason == "submitted"  # nothing the intruder did counted


def test_form_post_without_javascript_saves_then_submits(signed_in, course, learner):
    _, lessons, quiz = course
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    answers = right_answers(attempt)
    data = {"sequence": "0", "action": "save"}
    for qid, value in answers.items():
        data[f"q-{qid}"] = value
        data[f"q-{qid}-present"] = "1"
    url = reverse("learn:attempt", args=[attempt.pk])
    assert "Đã lưu câu trả lời" in signed_in.post(url, data, follow=True).content.decode()
    data |= {"sequence": "1", "action": "submit"}
    response = signed_in.post(url, data, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("learn:attempt_result", args=[attempt.pk])
    assert "100%" in body and "Đạt" in body
    assert "đáp án đúng" in body  # review after each attempt shows the right answers
    # Submitting again (double click, retry) changes nothing.
    signed_in.post(url, data)
    assert QuizAttempt.objects.get().finished_at is not None
    assert QuizAttempt.objects.count() == 1


def test_autosave_endpoint_tracks_sequence_and_refuses_stale_saves(signed_in, course, learner):
    _, _, quiz = course
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    qid = attempt.questions[0]["id"]
    url = reverse("learn:attempt_save", args=[attempt.pk])
    ok = signed_in.post(url, {"answers": {qid: "0"}, "sequence": 0}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"saved": True, "reason": "", "sequence": 1}
    stale = signed_in.post(url, {"answers": {qid: "1"}, "sequence": 0}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["reason"] == "stale"
    assert "cửa sổ" in stale.json()["message"]
    assert signed_in.post(url, "not json", content_type="application/json").status_code == 400
    for odd in ("1e999", "-1e999", "NaN", "[1]", "null"):
        body = '{"answers": {}, "sequence": ' + odd + "}"
        assert signed_in.post(url, body, content_type="application/json").status_code == 409, odd
    attempt.refresh_from_db()
    assert attempt.sequence == 1 and attempt.answers == {qid: "0"}


def test_autosave_endpoint_answers_a_retried_save_as_success(signed_in, course, learner):
    _, _, quiz = course
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    qid = attempt.questions[0]["id"]
    tf = next(q["id"] for q in attempt.questions if q["type"] == "true_false")
    url = reverse("learn:attempt_save", args=[attempt.pk])

    def post(answers, sequence, tab):
        return signed_in.post(
            url, {"answers": answers, "sequence": sequence, "tab": tab}, content_type="application/json"
        )

    assert post({qid: "0"}, 0, "page-1").json()["sequence"] == 1
    # The page never saw that answer and repeats it with what was typed meanwhile.
    retry = post({qid: "0", tf: "true"}, 0, "page-1")
    assert retry.status_code == 200
    assert retry.json() == {"saved": True, "reason": "", "sequence": 2}
    other = post({tf: "false"}, 0, "page-2")
    assert other.status_code == 409 and other.json()["reason"] == "stale"
    assert "cửa sổ" in other.json()["message"]
    assert post({}, 0, ["not", "a", "token"]).status_code == 400
    attempt.refresh_from_db()
    assert attempt.answers[tf] == "true" and attempt.sequence == 2


def test_a_refresh_shows_what_was_saved(signed_in, db, learner):
    _, _, quiz = build_course(questions=default_questions(4))
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    by_type = {q["type"]: q for q in attempt.questions}
    choice, multi = by_type["single_choice"], by_type["multiple_choice"]
    saved = {
        choice["id"]: choice["options"][1]["key"],
        multi["id"]: [multi["options"][0]["key"], multi["options"][2]["key"]],
        by_type["true_false"]["id"]: "false",
        by_type["short_answer"]["id"]: "Công đoàn <cơ sở>",
    }
    url = reverse("learn:attempt_save", args=[attempt.pk])
    assert signed_in.post(url, {"answers": saved, "sequence": 0}, content_type="application/json").json()[
        "saved"
    ]

    html = signed_in.get(reverse("learn:attempt", args=[attempt.pk])).content.decode()
    checked = set(re.findall(r'value="([^"]+)" checked', html))
    assert checked == {
        choice["options"][1]["key"],
        multi["options"][0]["key"],
        multi["options"][2]["key"],
        "false",
    }
    assert 'value="Công đoàn &lt;cơ sở&gt;"' in html
    assert 'name="sequence" value="1"' in html


def test_feedback_appears_in_the_review_only_after_grading(signed_in, db, learner):
    feedback = "Zalo nhóm đến tay công nhân nhanh nhất."
    _, _, quiz = build_course(
        questions=[single("Kênh nào nhanh nhất?", ["Zalo nhóm", "Loa"], 0, feedback=feedback)]
    )
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    assert feedback not in signed_in.get(reverse("learn:attempt", args=[attempt.pk])).content.decode()
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    assert feedback in signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()


def test_review_never_hides_the_answers(signed_in, db, learner):
    _, _, quiz = build_course(review_policy="never")
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    assert "Không đạt" in html and "đáp án đúng" not in html


def test_review_after_passing_waits_for_a_pass(signed_in, db, learner):
    _, _, quiz = build_course(review_policy="after_passing")
    failed = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=failed.pk, officer=learner.officer)
    url = reverse("learn:attempt_result", args=[failed.pk])
    assert "đáp án đúng" not in signed_in.get(url).content.decode()
    passed = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(
        attempt_id=passed.pk, officer=learner.officer, answers=right_answers(passed), sequence=0
    )
    assert "đáp án đúng" in signed_in.get(url).content.decode()


def test_a_failed_result_offers_another_attempt_while_some_are_left(signed_in, db, learner):
    _, _, quiz = build_course(attempts_allowed=2)
    retry = f'action="{reverse("learn:start_attempt", args=[quiz.pk])}"'
    first = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=first.pk, officer=learner.officer)
    html = signed_in.get(reverse("learn:attempt_result", args=[first.pk])).content.decode()
    assert retry in html and "Làm lại" in html and "còn 1 lượt làm bài" in html
    second = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=second.pk, officer=learner.officer)
    html = signed_in.get(reverse("learn:attempt_result", args=[second.pk])).content.decode()
    assert retry not in html and "Bạn đã dùng hết số lần làm bài" in html


def test_a_passed_result_offers_no_retry(signed_in, db, learner):
    _, _, quiz = build_course(lessons=0)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(
        attempt_id=attempt.pk, officer=learner.officer, answers=right_answers(attempt), sequence=0
    )
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    assert "Làm lại" not in html and "Bạn đã hoàn thành khoá học." in html


def test_attempt_limit_refused_through_the_page(signed_in, db, learner):
    _, _, quiz = build_course(attempts_allowed=1)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    response = signed_in.post(reverse("learn:start_attempt", args=[quiz.pk]), follow=True)
    assert "Bạn đã dùng hết số lần làm bài" in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_user_without_officer_gets_a_clear_message(client, course):
    _, lessons, quiz = course
    client.force_login(UserFactory(email="noofficer@example.vn"))
    assert "chưa được liên kết với hồ sơ cán bộ" in client.get(reverse("learn:dashboard")).content.decode()
    response = client.post(reverse("learn:complete_lesson", args=[lessons[0].pk]), follow=True)
    assert response.status_code == 200 and "chưa được liên kết" in response.content.decode()
    response = client.post(reverse("learn:start_attempt", args=[quiz.pk]), follow=True)
    assert response.status_code == 200 and not QuizAttempt.objects.exists()


def test_dashboard_shows_progress_resume_and_completed(signed_in, learner, db):
    done_course, done_lessons, done_quiz = build_course(lessons=1)
    open_course, open_lessons, _ = build_course(lessons=2)
    services.complete_lesson(officer=learner.officer, lesson=done_lessons[0])
    attempt = services.start_attempt(officer=learner.officer, quiz=done_quiz)
    services.submit_attempt(
        attempt_id=attempt.pk, officer=learner.officer, answers=right_answers(attempt), sequence=0
    )
    services.complete_lesson(officer=learner.officer, lesson=open_lessons[0])
    body = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert "Tiếp tục từ chỗ bạn dừng lại" in body
    assert open_lessons[1].url in body  # continue with the next lesson
    assert '<h3 class="learn-section__heading" id="completed">Đã hoàn thành</h3>' in body
    assert TrainingRecord.objects.filter(course=done_course).count() == 1


def test_a_withdrawn_course_leaves_my_courses_but_stays_in_what_i_completed(signed_in, learner, db):
    done_course, done_lessons, done_quiz = build_course(lessons=1, slug="da-xong")
    open_course, open_lessons, _ = build_course(lessons=2, slug="dang-hoc")
    services.complete_lesson(officer=learner.officer, lesson=done_lessons[0])
    attempt = services.start_attempt(officer=learner.officer, quiz=done_quiz)
    services.submit_attempt(
        attempt_id=attempt.pk, officer=learner.officer, answers=right_answers(attempt), sequence=0
    )
    services.complete_lesson(officer=learner.officer, lesson=open_lessons[0])
    done_course.unpublish()
    open_course.unpublish()
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert open_course.url not in html
    # Nothing in progress, but a course completed: it is under "Đã hoàn thành", and the page does
    # not claim I take no course.
    assert 'id="completed">Đã hoàn thành</h3>' in html and "Hiện bạn chưa tham gia khoá học nào." not in html
    completed = html[html.index('class="completed-list"') :]
    completed = completed[: completed.index("</ul>")]
    assert done_course.title in completed and "không còn mở" in completed
    assert "<a " not in completed  # its pages answer 404 now


def _resume_link(html: str) -> str:
    resume = html[html.index('class="card resume"') :]
    return resume[: resume.index("</section>")]


def test_continue_points_at_the_first_step_not_done_whatever_was_opened(signed_in, learner, db):
    course, lessons, quiz = build_course(lessons=3)
    services.enrol(officer=learner.officer, course=course)
    signed_in.get(quiz.url)  # looked at the quiz once, left without an attempt: no progress
    signed_in.get(lessons[2].url)  # opened lesson 3, did not finish it
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert f'href="{lessons[0].url}"' in _resume_link(html) and "Bài 1" in _resume_link(html)
    assert quiz.url not in _resume_link(html)
    services.complete_lesson(officer=learner.officer, lesson=lessons[0])
    services.complete_lesson(officer=learner.officer, lesson=lessons[2])  # done out of order
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert f'href="{lessons[1].url}"' in _resume_link(html)
    services.complete_lesson(officer=learner.officer, lesson=lessons[1])
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert f'href="{quiz.url}"' in _resume_link(html)  # every lesson done: the quiz is next


def test_my_courses_never_says_i_take_none_once_i_completed_one(signed_in, learner, db):
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert "Hiện bạn chưa tham gia khoá học nào." in html and 'id="completed"' not in html
    course, lessons, quiz = build_course(lessons=1)
    services.complete_lesson(officer=learner.officer, lesson=lessons[0])
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(
        attempt_id=attempt.pk, officer=learner.officer, answers=right_answers(attempt), sequence=0
    )
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    assert "Hiện bạn chưa tham gia khoá học nào." not in html
    completed = html[html.index('id="completed">Đã hoàn thành</h3>') :]
    assert course.title in completed[: completed.index("</ul>")]
    assert 'id="in-progress"' not in html  # nothing left in progress, no empty heading
    assert reverse("certificates:mine") in completed  # the way on to the certificate


def test_my_courses_list_the_one_in_use_before_one_just_assigned(signed_in, learner, db):
    used, lessons, _ = build_course(lessons=2, slug="dang-hoc")
    services.complete_lesson(officer=learner.officer, lesson=lessons[0])
    assigned, _, _ = build_course(lessons=2, slug="vua-giao")
    services.assign_course(course=assigned, officers=[learner.officer], by=None)
    html = signed_in.get(reverse("learn:dashboard")).content.decode()
    mine = html[html.index("Khoá học của tôi") :]
    assert mine.index(used.url) < mine.index(assigned.url)


def test_an_unpublished_course_is_closed_to_learners_but_not_to_the_editors_preview(
    signed_in, course, learner
):
    course_page, lessons, quiz = course
    course_page.unpublish()  # as the admin does unless "unpublish child pages" is ticked
    assert lessons[0].live and quiz.live
    assert signed_in.get(lessons[0].url).status_code == 404
    assert signed_in.get(quiz.url).status_code == 404
    assert signed_in.post(reverse("learn:complete_lesson", args=[lessons[0].pk])).status_code == 404
    assert signed_in.post(reverse("learn:start_attempt", args=[quiz.pk])).status_code == 404
    assert not QuizAttempt.objects.exists() and not Enrolment.objects.exists()
    editor = UserFactory(email="editor@example.vn", is_superuser=True)
    assert lessons[0].make_preview_request(original_request=_request_of(editor)).status_code == 200


def _request_of(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    "name",
    ["enrol", "assign", "complete_lesson", "start_attempt", "attempt", "attempt_save", "attempt_result"],
)
def test_an_id_too_large_for_the_database_is_not_found(signed_in, db, name):
    url = reverse(f"learn:{name}", args=[1]).replace("/1/", "/" + "9" * 25 + "/")
    assert signed_in.post(url).status_code == 404


def test_anonymous_user_is_sent_to_sign_in(client, course):
    response = client.get(reverse("learn:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_manager_assigns_course_within_scope_only(client, course, manager_a, tree):
    course_page, _, _ = course
    inside = OfficerFactory(unit=tree["ga"])
    outside = OfficerFactory(unit=tree["gb"])
    client.force_login(manager_a)
    url = reverse("learn:assign", args=[course_page.pk])
    page = client.get(url).content.decode()
    assert inside.full_name in page and outside.code not in page
    assert client.post(url, {"officers": [inside.pk, outside.pk]}).status_code == 404
    assert not Enrolment.objects.exists()
    client.post(url, {"officers": [inside.pk]})
    enrolment = Enrolment.objects.get()
    assert enrolment.officer == inside and enrolment.source == EnrolmentSource.ASSIGNED
    assert enrolment.assigned_by == manager_a


def test_assign_page_searches_by_name_and_pages_through_a_large_subtree(client, course, manager_a, tree):
    course_page, _, _ = course
    OfficerFactory.create_batch(55, unit=tree["ga"])
    wanted = OfficerFactory(unit=tree["ga"], family_name="Trần", middle_name="Văn", given_name="Khải")
    OfficerFactory(unit=tree["gb"], family_name="Trần", middle_name="Văn", given_name="Khải")  # outside
    client.force_login(manager_a)
    url = reverse("learn:assign", args=[course_page.pk])
    first = client.get(url).content.decode()
    assert "57 cán bộ" in first  # 55 + the one wanted + manager_a's own officer record
    assert first.count('name="officers"') == 50 and "Trang 1 / 2" in first
    assert client.get(url, {"page": 2}).content.decode().count('name="officers"') == 7
    found = client.get(url, {"q": "  khải   Trần "}).content.decode()
    assert f'value="{wanted.pk}"' in found and "1 cán bộ" in found
    # Typed without diacritics, as on most phones: the same one person, still only in scope.
    found = client.get(url, {"q": "tran van khai"}).content.decode()
    assert f'value="{wanted.pk}"' in found and "1 cán bộ" in found
    assert "Không tìm thấy cán bộ nào" in client.get(url, {"q": "Không Có\x00 Ai"}).content.decode()


def test_assign_refuses_an_empty_choice_and_garbage_ids(client, course, manager_a, tree):
    course_page, _, _ = course
    client.force_login(manager_a)
    url = reverse("learn:assign", args=[course_page.pk])
    response = client.post(url + "?q=Mai", {}, follow=True)
    assert response.redirect_chain[-1][0] == url + "?q=Mai"
    assert "Hãy đánh dấu ít nhất một cán bộ" in response.content.decode()
    for garbage in ["²", "-1", "1e3", "9" * 30]:
        assert client.post(url, {"officers": [garbage]}).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("officers", [3, 40])
def test_assign_page_queries_do_not_grow_with_officers(
    client, course, manager_a, tree, officers, django_assert_num_queries
):
    course_page, _, _ = course
    for officer in OfficerFactory.create_batch(officers, unit=tree["ga"])[::2]:
        services.enrol(officer=officer, course=course_page)
    client.force_login(manager_a)
    url = reverse("learn:assign", args=[course_page.pk])
    client.get(url)
    with django_assert_num_queries(9):  # the same with 3 or 40 officers
        assert client.get(url).status_code == 200


def test_learner_cannot_assign(signed_in, course):
    assert signed_in.get(reverse("learn:assign", args=[course[0].pk])).status_code == 403


def rich_lesson_body(blocks: int) -> str:
    """A lesson body with ``blocks`` of each kind that reads from the database (images, videos,
    downloads, example posts with images) besides text blocks."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    body = []
    for i in range(blocks):
        image = Image.objects.create(title=f"Ảnh {i}", file=get_test_image_file(f"anh-{i}.png"))
        video = Document.objects.create(title=f"Video {i}", file=ContentFile(b"\0" * 64, name=f"v{i}.mp4"))
        handout = Document.objects.create(title=f"Tài liệu {i}", file=ContentFile(b"%PDF", name=f"t{i}.pdf"))
        body += [
            {"type": "heading", "value": {"text": f"Mục {i}"}},
            {"type": "image", "value": {"image": image.pk, "caption": f"Chú thích {i}"}},
            {"type": "video", "value": {"video": video.pk, "poster": image.pk, "caption": ""}},
            {"type": "document", "value": {"document": handout.pk, "label": ""}},
            {"type": "callout", "value": {"kind": "tip", "title": "Mẹo", "text": "<p>Viết ngắn.</p>"}},
            {
                "type": "example_post",
                "value": {"network": "zalo", "author": "CĐCS May 10", "text": "Thông báo", "image": image.pk},
            },
        ]
    return json.dumps([block | {"id": str(uuid.uuid4())} for block in body])


def test_every_lesson_block_renders(signed_in, course):
    _, lessons, _ = course
    lessons[0].body = rich_lesson_body(1)
    lessons[0].save_revision().publish()
    html = signed_in.get(lessons[0].url).content.decode()
    assert re.search(r'<img[^>]+alt="Ảnh 0"', html) and "Chú thích 0" in html
    assert "<video controls" in html and 'type="video/mp4"' in html and "poster=" in html
    # Played from the media URL the web server serves with byte ranges (phones need them).
    assert re.search(r'<source src="/media/documents/v0[^"]*\.mp4"', html)
    assert re.search(r'href="[^"]+\.pdf" download>', html)
    assert "Tài liệu 0" in html
    assert "Viết ngắn." in html and "CĐCS May 10" in html


def test_query_counts_do_not_grow_with_course_size(client, learner, db):
    """The same pages, once for a small and once for a large course, cost the same queries."""
    client.force_login(learner)
    counts = {}
    for size in (2, 12):
        course_page, lessons, quiz = build_course(lessons=size, questions=default_questions(size * 2))
        lessons[1].body = rich_lesson_body(size)
        lessons[1].save_revision().publish()
        services.complete_lesson(officer=learner.officer, lesson=lessons[0])
        attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
        urls = {
            "course": course_page.url,
            "lesson": lessons[1].url,
            "quiz": quiz.url,
            "attempt": reverse("learn:attempt", args=[attempt.pk]),
            "dashboard": reverse("learn:dashboard"),
        }
        for name, url in urls.items():
            client.get(url)  # warm the site-root and rendition caches as a running server has them
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(name, []).append(len(queries))
        services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
        result = reverse("learn:attempt_result", args=[attempt.pk])  # with the review of every question
        client.get(result)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(result).status_code == 200
        counts.setdefault("result", []).append(len(queries))
    for name, (small, large) in counts.items():
        assert large == small, f"{name}: {small} queries with a small course, {large} with a large one"
    # Wagtail's own routing and permission checks take about a dozen; ours stay few.
    # The lesson's visit also marks a required course begun (one UPDATE): "đang học" in the audit;
    # and reads the small copies of all its videos (one query).
    assert counts["course"][0] <= 21 and counts["lesson"][0] <= 32 and counts["quiz"][0] <= 27
    assert counts["attempt"][0] <= 5 and counts["result"][0] <= 15


@pytest.mark.parametrize("courses", [1, 5])
def test_dashboard_queries_do_not_grow_with_courses(
    client, learner, db, courses, django_assert_max_num_queries
):
    for _ in range(courses):
        _, lessons, _ = build_course(lessons=3)
        services.complete_lesson(officer=learner.officer, lesson=lessons[0])
    client.force_login(learner)
    client.get(reverse("learn:dashboard"))
    build_course(lessons=1)  # one more course, not enrolled: offered below
    # Includes the training app's requirement panel, the required courses ("Bắt buộc năm") and the
    # class invitations (one query).
    with django_assert_max_num_queries(18):
        body = client.get(reverse("learn:dashboard")).content.decode()
    assert body.count("course-card__title") == courses + 1
    assert "Khoá học khác" in body


def test_the_timer_shows_the_time_left_even_without_javascript(signed_in, db, learner):
    from datetime import timedelta

    from django.utils import timezone

    _, _, quiz = build_course(time_limit_minutes=30)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(minutes=4, seconds=10)
    )
    html = signed_in.get(reverse("learn:attempt", args=[attempt.pk])).content.decode()
    assert re.search(r"<span data-timer-value>5 phút</span>", html)
    assert re.search(r'data-seconds-left="(249|250)"', html)


def test_overdue_attempt_page_closes_it_and_shows_the_result(signed_in, db, learner):
    from datetime import timedelta

    from django.utils import timezone

    _, _, quiz = build_course(time_limit_minutes=5)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = signed_in.get(reverse("learn:attempt", args=[attempt.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("learn:attempt_result", args=[attempt.pk])
    assert "Đã hết giờ" in response.content.decode()
    late = signed_in.post(
        reverse("learn:attempt_save", args=[attempt.pk]),
        {"answers": {}, "sequence": 0},
        content_type="application/json",
    )
    assert late.status_code == 409 and late.json()["redirect"].endswith("/result/")


def test_enrolment_admin_finds_a_learner_by_unaccented_name_in_scope(client, course, admin_manager, tree):
    course_page, _, _ = course
    inside = OfficerFactory(unit=tree["ga"], family_name="Phùng", middle_name="Thị", given_name="Lụa")
    outside = OfficerFactory(unit=tree["gb"], family_name="Phùng", middle_name="Thị", given_name="Lụa")
    for officer in (inside, outside):
        Enrolment.objects.create(officer=officer, course=course_page, source=EnrolmentSource.ASSIGNED)
    from django.contrib.auth.models import Permission

    admin_manager.user_permissions.add(Permission.objects.get(codename="view_enrolment"))
    client.force_login(admin_manager)
    page = client.get("/admin/learning/enrolments/", {"q": "phung thi lua"}).content.decode()
    assert f"/admin/learning/enrolments/inspect/{Enrolment.objects.get(officer=inside).pk}/" in page
    assert f"/inspect/{Enrolment.objects.get(officer=outside).pk}/" not in page


def test_an_open_attempt_of_an_unpublished_course_says_why_it_cannot_continue(signed_in, course, learner):
    course_page, lessons, quiz = course
    for lesson in lessons:
        services.complete_lesson(officer=learner.officer, lesson=lesson)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    answers = {f"q-{qid}": value for qid, value in right_answers(attempt).items()}
    course_page.unpublish()
    url = reverse("learn:attempt", args=[attempt.pk])
    why = "Bài kiểm tra này không còn mở"

    for response in (
        signed_in.get(url, follow=True),
        signed_in.post(url, {**answers, "sequence": "0", "action": "submit"}, follow=True),
        signed_in.post(url, {**answers, "sequence": "0", "action": "save"}, follow=True),
        signed_in.post(reverse("learn:attempt_submit", args=[attempt.pk]), follow=True),
        signed_in.get(reverse("learn:attempt_result", args=[attempt.pk]), follow=True),
    ):
        assert response.redirect_chain[-1][0] == reverse("learn:dashboard")
        assert why in response.content.decode()

    save = signed_in.post(
        reverse("learn:attempt_save", args=[attempt.pk]),
        data=json.dumps({"answers": right_answers(attempt), "sequence": 0}),
        content_type="application/json",
    )
    assert save.status_code == 409
    assert save.json()["reason"] == "withdrawn" and why in save.json()["message"]
    assert save.json()["redirect"] == reverse("learn:dashboard")
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}
    assert not TrainingRecord.objects.exists()


def test_autosave_to_an_attempt_deleted_with_its_quiz_tells_the_page_to_leave(signed_in, course, learner):
    _, _, quiz = course
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    quiz.delete()
    response = signed_in.post(
        reverse("learn:attempt_save", args=[attempt.pk]),
        data=json.dumps({"answers": {}, "sequence": 0}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["redirect"] == reverse("learn:dashboard")
    assert response.json()["message"] == "Lượt làm bài này không còn tồn tại."


def test_review_says_in_words_which_questions_were_right_and_what_i_chose(signed_in, db, learner):
    from courses.tests.conftest import multiple, true_false

    questions = [
        single("Kênh nhanh nhất?", ["Zalo nhóm", "Báo giấy"], 0, feedback="Zalo đến tay ngay."),
        multiple("Bài tốt cần gì?", ["Tiêu đề rõ", "Ảnh thật", "Chữ in hoa"], {0, 1}, scoring="partial"),
        true_false("Được đăng ảnh khi chưa xin phép.", "false"),
    ]
    _, _, quiz = build_course(questions=questions, review_policy="after_attempt")
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    by_prompt = {q["prompt"]: q for q in attempt.questions}
    zalo = next(o["key"] for o in by_prompt["Kênh nhanh nhất?"]["options"] if o["text"] == "Zalo nhóm")
    title = next(o["key"] for o in by_prompt["Bài tốt cần gì?"]["options"] if o["text"] == "Tiêu đề rõ")
    answers = {
        by_prompt["Kênh nhanh nhất?"]["id"]: zalo,
        by_prompt["Bài tốt cần gì?"]["id"]: [title],
        by_prompt["Được đăng ảnh khi chưa xin phép."]["id"]: "true",
    }
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer, answers=answers, sequence=0)
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()

    verdicts = re.findall(r'class="badge badge--(?:ok|warn|bad)">(Đúng|Đúng một phần|Chưa đúng)<', html)
    assert sorted(verdicts) == ["Chưa đúng", "Đúng", "Đúng một phần"]
    assert html.count(">bạn chọn<") == 3  # each option picked is labelled, not only ticked
    assert html.count('badge badge--bad">bạn chọn<') == 1  # …and the wrong pick stands out
    assert "Giải thích:</strong> Zalo đến tay ngay." in html


def test_a_finished_attempts_result_in_a_withdrawn_course_offers_no_dead_links(signed_in, db, learner):
    course_page, _, quiz = build_course(attempts_allowed=3)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    services.submit_attempt(attempt_id=attempt.pk, officer=learner.officer)
    url = reverse("learn:attempt_result", args=[attempt.pk])
    assert "Quay lại bài kiểm tra" in signed_in.get(url).content.decode()
    course_page.unpublish()
    html = signed_in.get(url).content.decode()
    assert "Không đạt" in html  # my result is still mine to read
    assert "Quay lại bài kiểm tra" not in html and "Làm lại" not in html


def test_the_quiz_page_says_an_attempt_is_running_and_when_the_server_closes_it(signed_in, db, learner):
    from django.utils import timezone

    _, _, quiz = build_course(time_limit_minutes=20)
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    html = signed_in.get(quiz.url).content.decode()
    ends = timezone.localtime(attempt.deadline).strftime("%H:%M")
    assert "Lần làm bài 1 đang mở." in html
    assert f"Hệ thống sẽ đóng lượt này lúc {ends}" in html


def test_a_quiz_attempt_costs_the_same_few_queries_for_5_or_30_questions(client, learner, db):
    """Starting, loading, autosaving and submitting: the four requests of every attempt, the
    ones a city-wide contest multiplies (bench/bench_quiz.py). Each includes the three every
    signed-in request makes (session, user, account facts)."""
    client.force_login(learner)
    counts = []
    for size in (5, 30):
        _, _, quiz = build_course(lessons=1, questions=default_questions(size))
        client.get(quiz.url)  # warm the site-root cache, as a running server has it
        steps = {}
        with CaptureQueriesContext(connection) as queries:
            started = client.post(reverse("learn:start_attempt", args=[quiz.pk]))
        steps["start"] = len(queries)
        attempt = QuizAttempt.objects.get(pk=started.url.rstrip("/").rsplit("/", 1)[-1])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(started.url).status_code == 200
        steps["page"] = len(queries)
        answers = {q["id"]: "x" for q in attempt.questions}
        with CaptureQueriesContext(connection) as queries:
            saved = client.post(
                reverse("learn:attempt_save", args=[attempt.pk]),
                {"answers": answers, "sequence": 0},
                content_type="application/json",
            )
        assert saved.status_code == 200
        steps["save"] = len(queries)
        with CaptureQueriesContext(connection) as queries:
            submitted = client.post(started.url, {"action": "submit", "sequence": 1})
        assert "/result/" in submitted.url
        steps["submit"] = len(queries)
        counts.append(steps)
    assert counts[0] == counts[1]
    # Savepoints included (the test runs in a transaction). The first start in a course also
    # enrols the learner (4 of its 17: read, savepoint, insert, release).
    assert counts[0] == {"start": 17, "page": 5, "save": 6, "submit": 7}
