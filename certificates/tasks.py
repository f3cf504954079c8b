"""Celery tasks for certificates. They take ids, are idempotent and call services."""

import logging

from celery import Task, shared_task
from celery.schedules import crontab
from django.conf import settings

from . import issuing, services
from .models import Certificate

logger = logging.getLogger(__name__)

# Retried with exponential backoff and full jitter: up to 5 s, 10 s, … 10 min; ~20 min over 8 retries.
RETRY = dict(
    autoretry_for=(Exception,),
    retry_backoff=getattr(settings, "CERTIFICATE_RETRY_BACKOFF_SECONDS", 5),
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=getattr(settings, "CERTIFICATE_TASK_RETRIES", 8),
)


class RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The last retry failed too: show the certificate as failed until the sweep heals it."""
        certificate_id = args[0] if args else kwargs.get("certificate_id")
        if certificate_id is None:
            return
        try:
            services.record_render_failure(certificate_id, exc)
        except Exception:
            # Say the database is what failed: the certificate still has no PDF, so the
            # sweep (which also takes certificates waiting for more than 5 minutes) retries it.
            logger.exception("Could not mark certificate %s as failed", certificate_id)


@shared_task(base=RenderTask, acks_late=True, reject_on_worker_lost=True, **RETRY)
def render_certificate_pdf(certificate_id: int) -> str:
    """Render and store a certificate's PDF (once), then tell the learner.

    Retried with backoff; when the last retry fails, the certificate is marked failed
    (``RenderTask.on_failure``) and ``render_missing_pdfs`` tries it again on its next run.
    """
    if not Certificate.objects.filter(pk=certificate_id).exists():
        return ""  # gone (e.g. its issue was rolled back): nothing to render, nothing to retry
    certificate = services.render_and_store(certificate_id)
    services.notify_learner(certificate.pk)
    return certificate.pdf_sha256


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY)
def issue_certificate_for_record(record_id: int) -> int | None:
    """Issue (idempotently) the certificate of a training record; its render is queued after."""
    from training.models import TrainingRecord

    record = (
        TrainingRecord.objects.select_related("officer__unit", "in_person_class__organising_unit")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        return None
    certificate, _ = issuing.issue_certificate(record=record)
    return certificate.pk if certificate else None


class BulkExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The last retry failed too: the ZIP's page says so and offers to try again."""
        export_id = args[0] if args else kwargs.get("export_id")
        if export_id is None:
            return
        try:
            services.record_bulk_export_failure(export_id, exc)
        except Exception:
            logger.exception("Could not mark certificate ZIP %s as failed", export_id)


@shared_task(base=BulkExportTask, acks_late=True, reject_on_worker_lost=True, **RETRY)
def build_bulk_export(export_id: int) -> str:
    return services.build_bulk_export(export_id).file_path


@shared_task
def render_missing_pdfs() -> int:
    """The every-minute sweep: issue what a lost task never issued, then render what is missing."""
    services.issue_missing_certificates()
    return services.render_missing_pdfs()


@shared_task
def resume_lost_bulk_exports() -> dict:
    """Build again the ZIPs whose worker died (a heartbeat older than a minute)."""
    return services.resume_lost_bulk_exports()


@shared_task
def expire_bulk_exports() -> int:
    """Delete certificate ZIPs older than ``GENERATED_FILE_RETENTION_DAYS``; idempotent."""
    return services.expire_bulk_exports()


# Every minute (JOB_SWEEP_SECONDS): render the certificates whose render task was lost with a
# killed worker, and build again the ZIPs whose worker died, so neither waits for a restart.
# Every night, delete old certificate ZIPs.
BEAT_SCHEDULE = {
    "certificates-render-missing": {
        "task": "certificates.tasks.render_missing_pdfs",
        "schedule": float(settings.JOB_SWEEP_SECONDS),
    },
    "certificates-resume-bulk-exports": {
        "task": "certificates.tasks.resume_lost_bulk_exports",
        "schedule": float(settings.JOB_SWEEP_SECONDS),
    },
    "certificates-expire-bulk-exports": {
        "task": "certificates.tasks.expire_bulk_exports",
        "schedule": crontab(minute=40, hour=2),
    },
}
