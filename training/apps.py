from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organizations.scope import AUDITOR_GROUP

# The department edits the yearly requirements in the Wagtail admin. Migration 0004 granted this
# once; this declaration keeps it granted after every migrate, by core's one handler (core.groups).
REQUIREMENT_CODENAMES = ["add_requirement", "change_requirement", "delete_requirement", "view_requirement"]


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training ledger and audit")
    default_auto_field = "django.db.models.BigAutoField"
    group_permissions = {AUDITOR_GROUP: ["wagtailadmin.access_admin", *REQUIREMENT_CODENAMES]}

    def ready(self):
        from .audit import triggers  # noqa: F401  (assignments follow the roster and the rules)
