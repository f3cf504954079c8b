from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organizations.groups import MANAGER_GROUP
from organizations.scope import AUDITOR_GROUP


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"
    # Auditors see every message on "Tin đã gửi" and retry failed ones; managers see their scope.
    group_permissions = {
        AUDITOR_GROUP: ["view_message", "change_message"],
        MANAGER_GROUP: ["view_message", "change_message"],
    }
