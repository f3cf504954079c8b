from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LmsConfig(AppConfig):
    default = True  # this module also holds UsersConfig
    name = "lms"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import converters

        converters.register()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user accounts admin, listing people by Vietnamese name (lms.users)."""

    default = False
    user_viewset = "lms.users.UserViewSet"
