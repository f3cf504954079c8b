"""Editors build surveys in the Wagtail admin and see Wagtail's own submissions listing."""

from django.contrib.auth.models import Group
from django.urls import reverse

from lms.models import HomePage
from organizations.tests.factories import OfficerFactory, UserFactory
from surveys.models import SurveyIndexPage, SurveyPage

from .test_results import add_answer


def test_survey_pages_live_under_the_home_page_or_a_survey_index(survey_index):
    home = HomePage.objects.get(depth=2)
    assert SurveyIndexPage.can_create_at(home)
    assert SurveyPage.can_create_at(home)
    assert SurveyPage.can_create_at(survey_index)
    assert not SurveyIndexPage.can_create_at(survey_index)
    assert SurveyPage.allowed_subpage_models() == []


def test_editor_sees_the_submissions_listing_with_units(client, make_survey, tree):
    page = make_survey()
    add_answer(page, OfficerFactory(unit=tree["ga"]), comment="Tổ chức vào cuối tuần")
    editor = UserFactory(email="bientap@example.vn")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tổ chức vào cuối tuần" in html
    assert tree["ga"].name in html


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
