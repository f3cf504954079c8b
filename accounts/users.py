"""The Wagtail admin's list of user accounts, with people named and sorted the Vietnamese way.

Wagtail shows "first last" and sorts by last name, then first name: "Mai Nguyễn Thị" filed under N.
Here an account linked to an officer shows the officer's name and sorts by its key (given name,
then family name, in the Vietnamese alphabet); other accounts follow, by family then given name.
"""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.functional import cached_property
from wagtail.users.views import users

from core.vietnamese.names import full_name
from organizations.models import Officer


def _vietnamese_full_name(user) -> str:
    """Family (with middle) then given name: ``last_name`` holds "Phạm Thị", ``first_name`` "Lan"."""
    return full_name(user.last_name.strip(), "", user.first_name.strip())


def name_users_the_vietnamese_way() -> None:
    """Make ``User.get_full_name`` say "Phạm Thị Lan", not Django's "Lan Phạm Thị".

    Wagtail names a user through ``get_full_name`` everywhere it shows one: page and snippet
    history, the site history report and its user filter, locked and ageing pages, workflow
    and moderation screens, the owner of a page. Django's ``auth.User`` joins first then last
    name (Western order) and cannot be subclassed without swapping the user model, so its one
    method is replaced here, once, when the app registry is ready. No query: it reads the
    user's own columns, so history listings stay at their fixed number of queries.
    """
    get_user_model().get_full_name = _vietnamese_full_name


def vietnamese_display_name(user) -> str:
    officer = Officer.objects.for_user(user)  # select_related("officer"): no query
    if officer is not None:
        return officer.full_name
    return full_name(user.last_name, "", user.first_name) or user.get_username()


class UserIndexView(users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("officer")

    @cached_property
    def columns(self):
        columns = super().columns
        for column in columns:
            if column.name == "name":
                column.accessor = vietnamese_display_name
        return columns

    def order_queryset(self, queryset):
        if self.ordering in ("name", "-name"):
            descending = self.ordering == "-name"
            key = F("officer__sort_key")
            key = key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)
            fallback = ("last_name", "first_name", "username")
            return queryset.order_by(key, *(f"-{f}" if descending else f for f in fallback))
        return super().order_queryset(queryset)


class UserViewSet(users.UserViewSet):
    index_view_class = UserIndexView
    ordering = "name"  # Wagtail's is the username (the e-mail address here)
