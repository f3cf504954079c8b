"""The quiz's result page offers the course's certificate: ready, being prepared (and polled), or
nothing when the course grants none."""

import json

import pytest
from django.urls import reverse

from certificates.models import Certificate
from courses import services
from courses.tests.conftest import build_course, right_answers


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def _pass(officer, **course_fields):
    course, lessons, quiz = build_course(lessons=1)
    if course_fields:
        for key, value in course_fields.items():
            setattr(course, key, value)
        course.save_revision().publish()
    services.complete_lesson(officer=officer, lesson=lessons[0])
    attempt = services.start_attempt(officer=officer, quiz=quiz)
    services.submit_attempt(
        attempt_id=attempt.pk, officer=officer, answers=right_answers(attempt), sequence=0
    )
    return course, attempt


def test_result_page_says_the_certificate_is_being_prepared_then_links_it(
    signed_in, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course, attempt = _pass(learner.officer)
    certificate = Certificate.objects.get(officer=learner.officer)
    assert not certificate.is_ready  # rendered by a worker later

    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    status_url = reverse("certificates:course_status", args=[course.pk])
    assert f'data-job-status-url="{status_url}"' in html
    assert "Giấy chứng nhận của bạn đang được chuẩn bị. Trang này tự cập nhật khi xong." in html
    assert "core/js/job-progress.js" in html
    assert reverse("certificates:mine") in html  # never a dead end, even without script
    payload = json.loads(signed_in.get(status_url).content)
    assert payload["running"] is True and payload["download_url"] == ""

    Certificate.objects.filter(pk=certificate.pk).update(pdf_sha256="0" * 64, pdf_path="x.pdf")
    payload = json.loads(signed_in.get(status_url).content)
    download = reverse("certificates:download", args=[certificate.pk])
    assert payload["status"] == "done" and payload["running"] is False and payload["download_url"] == download
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    assert f'href="{download}"' in html and "Tải giấy chứng nhận (PDF)" in html
    assert "data-job-status-url" not in html


def test_no_certificate_offer_when_the_course_grants_none(
    signed_in, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course, attempt = _pass(learner.officer, grants_certificate=False)
    html = signed_in.get(reverse("learn:attempt_result", args=[attempt.pk])).content.decode()
    assert "Bạn đã hoàn thành khoá học." in html and 'id="course-certificate"' not in html
    payload = json.loads(signed_in.get(reverse("certificates:course_status", args=[course.pk])).content)
    assert payload["status"] == "none" and payload["running"] is False


def test_someone_elses_course_certificate_is_not_reported(
    client, learner, db, django_capture_on_commit_callbacks
):
    from organizations.tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        course, _ = _pass(learner.officer)
    client.force_login(UserFactory(email="other@example.vn"))
    payload = json.loads(client.get(reverse("certificates:course_status", args=[course.pk])).content)
    assert payload["status"] == "none" and payload["download_url"] == ""
