from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .groups import GROUP_PERMISSIONS


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"
    group_permissions = GROUP_PERMISSIONS  # granted after every migrate (core.groups)

    def ready(self):
        from celery.signals import worker_ready

        from training.ledger.signals import training_recorded, training_voided

        from . import receivers

        training_recorded.connect(receivers.issue_on_training_recorded, dispatch_uid="certificates.issue")
        training_voided.connect(receivers.revoke_on_training_voided, dispatch_uid="certificates.revoke")
        worker_ready.connect(receivers.sweep_on_worker_ready, dispatch_uid="certificates.sweep", weak=False)
