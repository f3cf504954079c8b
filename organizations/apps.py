from django.apps import AppConfig
from django.db.backends.signals import connection_created
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
        connection_created.connect(register_vietnamese_collation, dispatch_uid="organizations.collation")


def register_vietnamese_collation(sender, connection, **kwargs) -> None:
    """SQLite has no Vietnamese collation; teach each new connection ours (PostgreSQL uses ICU's)."""
    if connection.vendor == "sqlite":
        from .names import SQLITE_COLLATION, compare_vietnamese

        connection.connection.create_collation(SQLITE_COLLATION, compare_vietnamese)
