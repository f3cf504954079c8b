from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # this module also holds UsersConfig
    name = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"
    # Auditors manage invitations everywhere (granted after every migrate by core.groups), as they
    # did while invitations were part of the roster.
    group_permissions = {"Auditors": ["*"]}

    def ready(self):
        from .users import name_users_the_vietnamese_way

        name_users_the_vietnamese_way()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user accounts admin, listing people by Vietnamese name (accounts.users)."""

    default = False
    user_viewset = "accounts.users.UserViewSet"
