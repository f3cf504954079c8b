"""Admin entry points: a "Results" action on survey pages and a menu item for the results list;
survey answers kept out of Wagtail's own form submissions screens except for auditors."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from organizations.scope import is_auditor

from .models import SurveyPage
from .selectors import can_see_results


class SurveyResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_results(request.user)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return SurveyResultsMenuItem(
        _("Survey results"), reverse("surveys:list"), name="survey-results", icon_name="list-ul", order=760
    )


@hooks.register("register_page_listing_more_buttons")
def survey_results_button(page, user, next_url=None):
    if page.specific_class is SurveyPage and can_see_results(user):
        url = reverse("surveys:results", args=[page.pk])
        yield Button(_("Results"), url=url, icon_name="list-ul", priority=45)


@hooks.register("filter_form_submissions_for_user")
def survey_answers_for_auditors_only(user, editable_forms):
    """Wagtail shows a form's answers to anyone who may edit the page. Survey answers are scoped
    (a manager sees only their subtree's, on /surveys/), so in the admin only auditors and
    superusers see them: the forms list, the answers listing, its export and deletion."""
    if is_auditor(user):
        return editable_forms
    return editable_forms.not_type(SurveyPage)
