from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Union tree and officers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Before any Wagtail view asks for the models' policy (and a fallback gets created).
        from . import permissions

        permissions.register()

        from .groups import ensure_groups_after_migrate

        post_migrate.connect(ensure_groups_after_migrate, sender=self, dispatch_uid="organizations.groups")
