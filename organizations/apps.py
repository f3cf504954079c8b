from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .groups import GROUP_PERMISSIONS


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Union tree and officers")
    default_auto_field = "django.db.models.BigAutoField"
    group_permissions = GROUP_PERMISSIONS  # granted after every migrate (core.groups)

    def ready(self) -> None:
        # Before any Wagtail view asks for the models' policy (and a fallback gets created).
        from . import permissions

        permissions.register()
