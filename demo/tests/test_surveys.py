"""The demo survey: realistic, open to officers, idempotent and deterministic."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from demo import organizations as organizations_demo
from demo import surveys as demo
from surveys.models import Audience, SurveyPage, SurveySubmission


def test_demo_survey_is_seeded_once_with_answers(client, db):
    organizations_demo.seed()
    survey = demo.seed()
    first = sorted(SurveySubmission.objects.values_list("officer__code", "form_data", "submit_time"))

    assert demo.seed().pk == survey.pk
    again = sorted(SurveySubmission.objects.values_list("officer__code", "form_data", "submit_time"))

    assert first == again
    assert len(first) == demo.ANSWERS
    assert SurveyPage.objects.count() == 1
    assert survey.title == "Khảo sát nhu cầu bồi dưỡng kỹ năng truyền thông năm 2026"
    assert survey.audience == Audience.OFFICERS and survey.state == "open"
    labels = [field.label for field in survey.get_form_fields()]
    assert len(labels) == 5

    # The demo manager sees their district's answers; the demo learner can still answer.
    manager = get_user_model().objects.get(email="quanly@demo.vn")
    client.force_login(manager)
    response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code == 200
    assert 0 < response.context["results"].total < demo.ANSWERS

    learner = get_user_model().objects.get(email="hocvien@demo.vn")
    client.force_login(learner)
    assert "Gửi câu trả lời" in client.get(survey.url).content.decode()


def test_demo_answers_are_valid_for_the_form(db):
    organizations_demo.seed()
    survey = demo.seed()
    for submission in SurveySubmission.objects.filter(page=survey):
        data = {k: v for k, v in submission.form_data.items()}
        form = survey.get_form(data, page=survey, user=None)
        assert form.is_valid(), form.errors
