"""Wagtail admin screens for learning records: read-only and limited to the user's scope.

Attempts and enrolments are records of what learners did; nobody edits them in the admin.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from organizations.selectors import search_officers
from organizations.viewsets import scoped_views

from .models import Enrolment, QuizAttempt


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View and inspect only: add, change and delete are refused to everyone."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(QuizAttempt, ReadOnlyPolicy(QuizAttempt))
register_permission_policy(Enrolment, ReadOnlyPolicy(Enrolment))


def _search_by_officer(queryset, query):
    return search_officers(queryset, query, prefix="officer__")


_scoped = scoped_views("officer__unit__path")
READ_ONLY_VIEWS = {
    # The search box finds the learner by name with or without diacritics, or by code.
    "index_view_class": type(
        "Index", (_scoped["index_view_class"],), {"search_with": staticmethod(_search_by_officer)}
    ),
    "inspect_view_class": _scoped["inspect_view_class"],
}


class QuizAttemptViewSet(ModelViewSet):
    model = QuizAttempt
    url_prefix = "learning/attempts"
    url_namespace = "learning_attempts"
    icon = "tasks"
    menu_label = _("Quiz attempts")
    list_display = ["officer", "quiz", "number", "state", "percent", "passed", "started_at"]
    list_filter = ["state", "passed", "close_reason"]
    search_fields = ["officer__family_name", "officer__given_name", "officer__code"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "officer",
        "quiz",
        "course",
        "number",
        "state",
        "close_reason",
        "started_at",
        "deadline",
        "finished_at",
        "score",
        "max_score",
        "percent",
        "passed",
    ]
    copy_view_enabled = False
    form_fields = ["state"]
    locals().update(READ_ONLY_VIEWS)


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    url_prefix = "learning/enrolments"
    url_namespace = "learning_enrolments"
    icon = "user"
    menu_label = _("Enrolments")
    list_display = ["officer", "course", "source", "enrolled_at", "completed_at"]
    list_filter = ["source"]
    search_fields = ["officer__family_name", "officer__given_name", "officer__code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["source"]
    locals().update(READ_ONLY_VIEWS)


class LearningViewSetGroup(ViewSetGroup):
    menu_label = _("Learning")
    menu_icon = "tasks"
    menu_order = 210
    items = (EnrolmentViewSet, QuizAttemptViewSet)
