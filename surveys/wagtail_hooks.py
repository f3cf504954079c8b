"""Admin entry points: a "Results" action on survey pages and a menu item for the results list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

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
