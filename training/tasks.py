"""Celery tasks of the audit: large exports and the reminder e-mails (with their beat schedule).

Tasks take ids and are idempotent: a finished export is not rebuilt, and a reminder is
recorded in ``ReminderSent`` (unique per reminder key, kind and address) before it is
sent, in the same transaction, so nobody is written twice for the same reminder.
"""

from __future__ import annotations

import logging
import os
from datetime import date

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone, translation

from lms.celery import add_periodic_tasks

from . import audit_services
from .audit import exports, reminders
from .audit.requests import audit_request
from .models import AuditExport, ExportStatus

logger = logging.getLogger(__name__)

# Reminders: the 1st of every month, and every Monday in December (the deadline month).
# Old export files: every night.
BEAT_SCHEDULE = {
    "training-expire-exports": {
        "task": "training.tasks.expire_audit_exports",
        "schedule": crontab(minute=30, hour=2),
    },
    "training-reminders-monthly": {
        "task": "training.tasks.send_reminders",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
        "kwargs": {"cadence": "monthly"},
    },
    "training-reminders-weekly-december": {
        "task": "training.tasks.send_reminders",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon", month_of_year=12),
        "kwargs": {"cadence": "weekly"},
    },
}


add_periodic_tasks(BEAT_SCHEDULE)


# --- Exports ---------------------------------------------------------------------------------


export_folder = audit_services.export_folder


@shared_task
def expire_audit_exports() -> int:
    """Delete export files older than ``GENERATED_FILE_RETENTION_DAYS``; idempotent."""
    return audit_services.expire_exports()


@shared_task
def build_audit_export(job_id: int) -> str:
    """Build the export of an ``AuditExport`` job, reporting progress; idempotent."""
    job = AuditExport.objects.select_related("user").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job.file_name
    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=1)
    params = dict(job.params)
    view, fmt = params.pop("view"), params.pop("fmt")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            audit = audit_request(job.user, params)
            total = max(exports.estimated_rows(audit, view), 1)

            def progress(done: int) -> None:
                AuditExport.objects.filter(pk=job.pk).update(progress=max(1, min(95, done * 95 // total)))

            content = exports.render(audit, view, fmt, progress=progress)
            name = f"{job.pk}-{exports.file_name(audit, view, fmt)}"
        temporary = export_folder() / f".{name}.part"
        temporary.write_bytes(content)
        os.replace(temporary, export_folder() / name)
    except Exception as error:
        logger.exception("Audit export %s failed", job.pk)
        AuditExport.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    AuditExport.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, progress=100, file_name=name, finished_at=timezone.now()
    )
    return name


# --- Reminders ------------------------------------------------------------------------------


@shared_task
def send_reminders(cadence: str = "monthly", dry_run: bool = False, today: str | None = None) -> dict:
    """Send the current reminder (``cadence`` monthly or weekly) once to each recipient.

    With ``dry_run`` nothing is sent or recorded; the plan is returned.
    """
    day = date.fromisoformat(today) if today else None
    return reminders.send_reminders(cadence=cadence, dry_run=dry_run, today=day)
