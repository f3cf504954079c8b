from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import worker_ready

        from training.ledger.signals import training_recorded, training_voided

        from . import receivers
        from .groups import grant_template_permissions_after_migrate

        training_recorded.connect(receivers.issue_on_training_recorded, dispatch_uid="certificates.issue")
        training_voided.connect(receivers.revoke_on_training_voided, dispatch_uid="certificates.revoke")
        worker_ready.connect(receivers.sweep_on_worker_ready, dispatch_uid="certificates.sweep", weak=False)
        post_migrate.connect(
            grant_template_permissions_after_migrate, sender=self, dispatch_uid="certificates.groups"
        )
