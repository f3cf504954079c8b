"""Saving a course for offline reading, and lesson completions sent after being made offline."""

import json
import uuid

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from courses.models import Enrolment, LessonCompletion
from courses.tests.conftest import build_course
from courses.tests.test_views import rich_lesson_body


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def bundle_url(course):
    return f"/learn/courses/{course.pk}/offline/"


def test_the_save_list_names_every_page_and_image_and_its_size(signed_in, learner):
    course, lessons, quiz = build_course(lessons=3)
    lessons[0].body = rich_lesson_body(1)
    lessons[0].save_revision().publish()

    response = signed_in.get(bundle_url(course))
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["cache"] == f"lms-course-{course.pk}"
    assert bundle["lessons"] == 3
    urls = bundle["urls"]
    assert urls[:5] == [course.url] + [lesson.url for lesson in lessons] + [quiz.url]
    renditions = [url for url in urls if url.startswith("/media/images/")]
    assert len(renditions) == 2  # the image block's width-800 (also the poster) and the post's width-700
    assert any(".width-800." in url for url in renditions) and any(".width-700." in url for url in renditions)
    assert bundle["bytes"] > 3 * 9_000
    # What the button says before saving, in Vietnamese, with the size in the locale's format.
    assert bundle["label"].startswith("Lưu 3 bài học (")
    assert bundle["label"].endswith("\xa0KB)")
    # Listing is not visiting: the learner's place in the course is untouched.
    assert not Enrolment.objects.filter(officer=learner.officer, last_page__isnull=False).exists()


def test_the_save_list_takes_the_same_queries_for_a_bigger_course(signed_in, django_assert_num_queries):
    small, small_lessons, _ = build_course(lessons=1)
    small_lessons[0].body = rich_lesson_body(1)
    small_lessons[0].save_revision().publish()
    big, big_lessons, _ = build_course(lessons=6)
    for lesson in big_lessons[:3]:
        lesson.body = rich_lesson_body(2)
        lesson.save_revision().publish()
    signed_in.get(bundle_url(big))  # renditions are made once, on the first listing
    signed_in.get(bundle_url(small))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        signed_in.get(bundle_url(small))
    with django_assert_num_queries(len(small_queries)):
        assert signed_in.get(bundle_url(big)).json()["lessons"] == 6


def test_a_course_the_learner_cannot_see_has_no_save_list(signed_in, client):
    course, *_ = build_course()
    restricted, *_ = build_course()
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.create(name="Ban Tuyên giáo"))
    withdrawn, *_ = build_course()
    withdrawn.unpublish()

    assert signed_in.get(bundle_url(course)).status_code == 200
    assert signed_in.get(bundle_url(restricted)).status_code == 404
    assert signed_in.get(bundle_url(withdrawn)).status_code == 404
    assert signed_in.get("/learn/courses/999999/offline/").status_code == 404
    client.logout()
    assert client.get(bundle_url(course)).status_code == 302  # to the sign-in


def test_saving_a_lesson_page_does_not_move_continue_where_i_left_off(signed_in, learner):
    course, lessons, _ = build_course(lessons=2)
    signed_in.get(lessons[0].url)  # a real visit
    signed_in.get(lessons[1].url, HTTP_X_OFFLINE_SAVE="1")  # saving the course
    enrolment = Enrolment.objects.filter(officer=learner.officer, course=course).first()
    if enrolment is not None:
        assert enrolment.last_page_id != lessons[1].pk


def post_queued(client, lesson, client_id, user=None):
    """What offline.js sends: the completion's id and the account it was queued under (by
    default the client's own)."""
    made_by = user if user is not None else client.session.get("_auth_user_id", "")
    return client.post(
        f"/learn/lessons/{lesson.pk}/complete/queued/",
        data=json.dumps({"id": client_id, "user": made_by}),
        content_type="application/json",
    )


def test_a_queued_completion_sent_twice_is_recorded_once(signed_in, learner):
    course, lessons, _ = build_course(lessons=2)
    client_id = str(uuid.uuid4())

    first = post_queued(signed_in, lessons[0], client_id)
    assert first.status_code == 200
    assert first.json() == {"id": client_id, "completed": True, "created": True}
    again = post_queued(signed_in, lessons[0], client_id)  # a retry after the answer was lost
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert LessonCompletion.objects.filter(officer=learner.officer).count() == 1
    # The learner is enrolled and sees the lesson done.
    assert Enrolment.objects.filter(officer=learner.officer, course=course).count() == 1
    assert "Đã hoàn thành bài học" in signed_in.get(lessons[0].url).content.decode()


def test_a_queued_completion_is_refused_when_it_cannot_count(signed_in, client):
    course, lessons, _ = build_course(lessons=1)
    assert post_queued(signed_in, lessons[0], "not-an-id").status_code == 400
    assert (
        signed_in.post(
            f"/learn/lessons/{lessons[0].pk}/complete/queued/", data="{", content_type="application/json"
        ).status_code
        == 400
    )
    course.unpublish()
    assert post_queued(signed_in, lessons[0], str(uuid.uuid4())).status_code == 404
    assert not LessonCompletion.objects.exists()
    client.logout()
    assert post_queued(client, lessons[0], str(uuid.uuid4())).status_code == 302


def test_a_completion_queued_under_another_account_is_never_recorded_for_this_one(signed_in, learner):
    # A shared phone: A queued it offline, B is signed in when the connection comes back.
    _, lessons, _ = build_course(lessons=1)
    someone_else = str(learner.pk + 1000)
    assert post_queued(signed_in, lessons[0], str(uuid.uuid4()), user=someone_else).status_code == 403
    # A completion that names no account (queued before they did) is refused too.
    unnamed = signed_in.post(
        f"/learn/lessons/{lessons[0].pk}/complete/queued/",
        data=json.dumps({"id": str(uuid.uuid4())}),
        content_type="application/json",
    )
    assert unnamed.status_code == 400
    assert not LessonCompletion.objects.exists()


def test_a_completion_queued_by_someone_without_an_officer_record_is_not_found(client, db):
    from organizations.tests.factories import UserFactory

    _, lessons, _ = build_course(lessons=1)
    client.force_login(UserFactory(email="no.officer@example.vn"))
    assert post_queued(client, lessons[0], str(uuid.uuid4())).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_the_pages_carry_the_offline_controls(signed_in):
    course, lessons, quiz = build_course(lessons=1)
    course_html = signed_in.get(course.url).content.decode()
    assert f'data-offline-save="/learn/courses/{course.pk}/offline/"' in course_html
    assert "Lưu để đọc ngoại tuyến" in course_html and "Xoá bản lưu" in course_html
    lesson_html = signed_in.get(lessons[0].url).content.decode()
    assert f'data-offline-queue="/learn/lessons/{lessons[0].pk}/complete/queued/"' in lesson_html
    quiz_html = signed_in.get(quiz.url).content.decode()
    assert "Bài kiểm tra cần kết nối mạng" in quiz_html
    assert "data-online-only" in quiz_html
