"""Who may answer a survey, when, and how many times."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from organizations.services import move_officer
from organizations.tests.factories import UserFactory
from surveys import services
from surveys.models import Audience, SurveyPage, SurveySubmission

from .conftest import answer_data


def post_answer(client, page, **kwargs):
    return client.post(page.url, answer_data(**kwargs))


def test_officer_answers_once_with_unit_snapshot(client, learner, make_survey, tree):
    page = make_survey()
    client.force_login(learner)
    assert "Gửi câu trả lời" in client.get(page.url).content.decode()

    response = post_answer(client, page, topics=["Quản trị fanpage", "Tuyên truyền miệng"])

    assert response.status_code == 200
    assert "câu trả lời của bạn đã được ghi nhận" in response.content.decode()
    submission = SurveySubmission.objects.get(page=page)
    assert submission.officer == learner.officer
    assert submission.unit == tree["ga"]
    assert submission.form_data["noi_dung_muon_hoc"] == ["Quản trị fanpage", "Tuyên truyền miệng"]


def test_second_submit_is_refused(client, learner, make_survey):
    page = make_survey()
    client.force_login(learner)
    post_answer(client, page, fmt="Trực tuyến")

    second = post_answer(client, page, fmt="Livestream")

    assert second.status_code == 409
    assert "Bạn đã trả lời khảo sát này" in second.content.decode()
    assert SurveySubmission.objects.filter(page=page).count() == 1
    assert SurveySubmission.objects.get(page=page).form_data["hinh_thuc"] == "Trực tuyến"
    # Coming back later: a clear page, no form.
    again = client.get(page.url).content.decode()
    assert "Bạn đã trả lời khảo sát này" in again
    assert "survey__form" not in again


def test_database_refuses_a_second_answer_from_the_same_officer(learner, make_survey):
    page = make_survey()
    SurveySubmission.objects.create(page=page, officer=learner.officer, form_data={})
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveySubmission.objects.create(page=page, officer=learner.officer, form_data={})


def _valid_form(page):
    form = page.get_form(answer_data(), page=page, user=None)
    assert form.is_valid(), form.errors
    return form


def test_submit_answer_relies_on_the_constraint_not_on_a_prior_check(learner, make_survey):
    # Two requests sent quickly both pass the view's "already answered?" check
    # before either writes; the service must still keep exactly one.
    page = make_survey()
    services.submit_answer(page=page, form=_valid_form(page), officer=learner.officer)
    with pytest.raises(services.AlreadyAnswered):
        services.submit_answer(page=page, form=_valid_form(page), officer=learner.officer)
    assert SurveySubmission.objects.filter(page=page).count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_keep_one(learner, make_survey):
    page = make_survey()
    page_id, officer = page.pk, learner.officer
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        from django.db import connection as thread_connection

        try:
            survey = SurveyPage.objects.get(pk=page_id)
            form = _valid_form(survey)
            barrier.wait()
            services.submit_answer(page=survey, form=form, officer=officer)
            outcomes.append("saved")
        except services.AlreadyAnswered:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    assert SurveySubmission.objects.filter(page_id=page_id).count() == 1


def test_unit_snapshot_survives_a_move(learner, make_survey, tree):
    page = make_survey()
    services.submit_answer(page=page, form=_valid_form(page), officer=learner.officer)
    move_officer(officer=learner.officer, to_unit=tree["gb"], on=timezone.localdate())
    assert SurveySubmission.objects.get(page=page).unit == tree["ga"]


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 30, "Khảo sát này chưa mở"), (-30, -1, "Khảo sát này đã đóng")],
)
def test_outside_dates_no_form_and_submission_refused(client, learner, make_survey, opens, closes, message):
    page = make_survey(opens_in_days=opens, closes_in_days=closes)
    client.force_login(learner)

    shown = client.get(page.url)
    assert shown.status_code == 200
    assert message in shown.content.decode()
    assert "Gửi câu trả lời" not in shown.content.decode()

    refused = post_answer(client, page)
    assert refused.status_code == 403
    assert message in refused.content.decode()
    assert not SurveySubmission.objects.exists()


def test_open_on_the_first_and_the_last_day(client, learner, make_survey):
    first = make_survey(opens_in_days=0, closes_in_days=5, slug="hom-nay-mo")
    last = make_survey(opens_in_days=-5, closes_in_days=0, slug="hom-nay-dong")
    client.force_login(learner)
    assert post_answer(client, first).status_code == 200
    assert post_answer(client, last).status_code == 200
    assert SurveySubmission.objects.count() == 2


def test_service_refuses_a_closed_survey(learner, make_survey):
    page = make_survey(opens_in_days=-30, closes_in_days=-1)
    page.closes_on = timezone.localdate() + timedelta(days=1)
    form = _valid_form(page)
    page.closes_on = timezone.localdate() - timedelta(days=1)
    with pytest.raises(services.SurveyNotOpen):
        services.submit_answer(page=page, form=form, officer=learner.officer)
    assert not SurveySubmission.objects.exists()


def test_officers_only_survey_asks_anonymous_visitors_to_sign_in(client, make_survey):
    page = make_survey(audience=Audience.OFFICERS)

    shown = client.get(page.url).content.decode()
    assert "Vui lòng đăng nhập để trả lời khảo sát này" in shown
    assert "/accounts/login/?next=" in shown
    assert "Gửi câu trả lời" not in shown

    assert post_answer(client, page).status_code == 403
    assert not SurveySubmission.objects.exists()


def test_officers_only_survey_refuses_accounts_without_an_officer(client, make_survey):
    page = make_survey(audience=Audience.OFFICERS)
    client.force_login(UserFactory(email="khach@example.vn"))
    response = post_answer(client, page)
    assert response.status_code == 403
    assert "Chỉ cán bộ có trong danh sách" in response.content.decode()
    assert not SurveySubmission.objects.exists()


def test_open_survey_takes_anonymous_answers_and_keeps_no_identity(client, learner, make_survey):
    page = make_survey(audience=Audience.ANYONE)
    assert post_answer(client, page).status_code == 200
    client.force_login(learner)
    assert post_answer(client, page).status_code == 200

    assert SurveySubmission.objects.filter(page=page).count() == 2
    assert not SurveySubmission.objects.filter(page=page, officer__isnull=False).exists()
    assert not SurveySubmission.objects.filter(page=page, unit__isnull=False).exists()
    assert not SurveySubmission.objects.filter(page=page, user__isnull=False).exists()


def test_invalid_answer_shows_errors_and_saves_nothing(client, learner, make_survey):
    page = make_survey()
    client.force_login(learner)
    response = client.post(page.url, {"hinh_thuc": "Không có trong danh sách"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not SurveySubmission.objects.exists()


def test_close_date_before_open_date_is_invalid(make_survey):
    from django.core.exceptions import ValidationError

    page = make_survey()
    page.closes_on = page.opens_on - timedelta(days=1)
    with pytest.raises(ValidationError):
        page.full_clean()


def test_a_drop_down_starts_empty_so_a_skipped_question_is_not_counted_as_its_first_choice(
    client, learner, make_survey
):
    page = make_survey()
    client.force_login(learner)
    form = client.get(page.url).content.decode()
    select = form[
        form.index('<select name="kenh"') : form.index("</select>", form.index('<select name="kenh"'))
    ]
    assert select.index('value=""') < select.index('value="Facebook"')
    assert 'value="Facebook" selected' not in select
    data = answer_data()
    del data["kenh"]
    response = client.post(page.url, {**data, "kenh": ""})
    assert "errorlist" in response.content.decode()  # the question is required: skipping it is caught
    assert not SurveySubmission.objects.exists()
    post_answer(client, page, channel="Website")
    assert SurveySubmission.objects.get().form_data["kenh"] == "Website"
