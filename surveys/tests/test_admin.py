"""Editors build surveys in the Wagtail admin; only auditors see the answers there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.models import HomePage
from organizations.scope import AUDITOR_GROUP
from organizations.tests.factories import OfficerFactory, UserFactory
from surveys.models import SurveyIndexPage, SurveyPage, SurveySubmission

from .test_results import add_answer


def test_survey_pages_live_under_the_home_page_or_a_survey_index(survey_index):
    home = HomePage.objects.get(depth=2)
    assert SurveyIndexPage.can_create_at(home)
    assert SurveyPage.can_create_at(home)
    assert SurveyPage.can_create_at(survey_index)
    assert not SurveyIndexPage.can_create_at(survey_index)
    assert SurveyPage.allowed_subpage_models() == []


def editor_user(email="bientap@example.vn", *groups):
    user = UserFactory(email=email)
    for name in ("Editors", *groups):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def answered_survey(make_survey, tree):
    page = make_survey()
    add_answer(page, OfficerFactory(unit=tree["ga"]), comment="Tổ chức vào cuối tuần")
    return page


def test_editors_do_not_see_survey_answers_in_the_admin(client, answered_survey):
    page = answered_survey
    client.force_login(editor_user())

    listing = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]))
    export = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]) + "?export=csv")
    forms = client.get(reverse("wagtailforms:index"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    for response in (listing, export):
        assert response.status_code in (302, 403)
        assert "Tổ chức vào cuối tuần" not in response.content.decode()
    assert page.title not in forms.content.decode()
    assert edit.status_code == 200  # the editor still edits the survey itself
    assert reverse("wagtailforms:list_submissions", args=[page.pk]) not in edit.content.decode()
    # Nor may they delete answers.
    submission = SurveySubmission.objects.get()
    delete = reverse("wagtailforms:delete_submissions", args=[page.pk])
    client.post(f"{delete}?selected-submissions={submission.pk}")
    assert SurveySubmission.objects.filter(pk=submission.pk).exists()


@pytest.mark.parametrize("who", ["auditor", "superuser"])
def test_auditors_and_superusers_see_the_answers_listing_with_units(client, answered_survey, tree, who):
    page = answered_survey
    if who == "auditor":
        user = editor_user("kiemtra@example.vn", AUDITOR_GROUP)
    else:
        user = UserFactory(email="quantri@example.vn", is_superuser=True, is_staff=True)
    client.force_login(user)

    response = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tổ chức vào cuối tuần" in html
    assert tree["ga"].name in html
    assert page.title in client.get(reverse("wagtailforms:index")).content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("wagtailforms:list_submissions", args=[page.pk]) in edit


def test_explorer_offers_a_results_button_to_auditors(client, make_survey, survey_index):
    page = make_survey()
    admin = UserFactory(email="quantri@example.vn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_explore", args=[survey_index.pk]))
    assert response.status_code == 200
    assert reverse("surveys:results", args=[page.pk]) in response.content.decode()


def test_survey_page_editor_form_renders(client, make_survey):
    page = make_survey()
    admin = UserFactory(email="quantri@example.vn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    home = HomePage.objects.get(depth=2)
    add_url = reverse("wagtailadmin_pages:add", args=["surveys", "surveypage", home.pk])
    assert client.get(add_url).status_code == 200
