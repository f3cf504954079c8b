from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            receivers,  # noqa: F401  (assignments of courses already begun are "started")
            signals,
        )

        signals.connect()
