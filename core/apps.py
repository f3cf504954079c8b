from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing every app shares and that knows no domain (it imports no app of the project)."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .spreadsheets.admin_exports import make_wagtail_exports_safe

        make_wagtail_exports_safe()

        from django.db.backends.signals import connection_created

        from .vietnamese.collation import register_vietnamese_collation

        connection_created.connect(register_vietnamese_collation, dispatch_uid="core.vietnamese.collation")

        from .groups import connect_group_permissions

        connect_group_permissions()  # every app's declared group_permissions, after every migrate

        from .admin_display import register_yes_no_display

        register_yes_no_display()  # "Có"/"Không" for booleans in the admin's inspect views

        from .pages import register_slug_widget

        register_slug_widget()  # slugs follow Vietnamese titles in ASCII as editors type
