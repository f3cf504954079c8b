"""Celery tasks of the audit: large exports and the reminder e-mails (with their beat schedule).

Tasks take ids and are idempotent: a finished export is not rebuilt, and a reminder is
recorded in ``ReminderSent`` (unique per reminder key, kind and address) before it is
sent, in the same transaction, so nobody is written twice for the same reminder.
"""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import date, timedelta

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from core.tasks import heartbeat, queue_is_empty, stale_before

from . import audit_services
from .audit import exports, reminders
from .audit.requests import audit_request
from .models import AuditExport, ExportStatus

logger = logging.getLogger(__name__)

# Reminders: the 1st of every month, and every Monday in December (the deadline month).
# Old export files: every night.
BEAT_SCHEDULE = {
    # Every minute (JOB_SWEEP_SECONDS): exports whose worker died are built again.
    "training-resume-exports": {
        "task": "training.tasks.resume_lost_exports",
        "schedule": float(settings.JOB_SWEEP_SECONDS),
    },
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


# --- Exports ---------------------------------------------------------------------------------


export_folder = audit_services.export_folder


@shared_task
def expire_audit_exports() -> int:
    """Delete export files older than ``GENERATED_FILE_RETENTION_DAYS``; idempotent."""
    return audit_services.expire_exports()


def _export_parts(job_id: int) -> list:
    """The part files a build of this export leaves while it writes (``.42-….part``)."""
    return list(export_folder().glob(f".{job_id}-*.part"))


@shared_task
def build_audit_export(job_id: int) -> str:
    """Build the export of an ``AuditExport`` job, reporting progress and a heartbeat.

    Idempotent and safe to receive twice: the build claims the job first (waiting, or running
    with a heartbeat older than ``JOB_STALE_SECONDS``: its worker died); a finished job, or one a
    live worker is building, is left alone. A restarted build starts from the beginning and
    removes what the dead one left; the file's name is the same, so there is never a second file.
    """
    job = AuditExport.objects.select_related("user").get(pk=job_id)
    claimable = Q(status=ExportStatus.PENDING) | Q(
        status=ExportStatus.RUNNING, heartbeat_at__lt=stale_before()
    )
    if not AuditExport.objects.filter(claimable, pk=job.pk).update(
        status=ExportStatus.RUNNING, progress=1, heartbeat_at=timezone.now()
    ):
        job.refresh_from_db()
        return job.file_name
    for part in _export_parts(job.pk):
        part.unlink(missing_ok=True)
    params = dict(job.params)
    view, fmt = params.pop("view"), params.pop("fmt")
    temporary = None
    try:
        with (
            heartbeat(AuditExport.objects.filter(pk=job.pk, status=ExportStatus.RUNNING)),
            translation.override(settings.LANGUAGE_CODE),
        ):
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
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        logger.exception("Audit export %s failed", job.pk)
        AuditExport.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    except BaseException:
        # The worker is stopping: the sweep restarts the build once its heartbeat is old.
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    AuditExport.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, progress=100, file_name=name, finished_at=timezone.now()
    )
    return name


# An export still waiting this long (since asked for, or last re-sent) while no task waits in
# the queue lost its message; past GIVE_UP it is failed rather than restarted for ever.
EXPORT_LOST_PENDING = timedelta(minutes=10)
EXPORT_GIVE_UP = timedelta(minutes=30)


def resume_lost_exports(*, now=None) -> dict:
    """Start again the exports whose worker died (a beat task, every ``JOB_SWEEP_SECONDS``).

    A job running with a heartbeat older than ``JOB_STALE_SECONDS`` (its worker was killed), or
    waiting for ``EXPORT_LOST_PENDING`` while the queue is empty (its task was lost), is sent
    again, unless it was asked for more than ``EXPORT_GIVE_UP`` ago: then it is failed (its page
    offers a new one). Part files that no live build is writing are deleted. Idempotent.
    """
    now = now or timezone.now()
    stale = stale_before()
    lost = Q(status=ExportStatus.RUNNING, heartbeat_at__lt=stale)
    waiting = Q(status=ExportStatus.PENDING, heartbeat_at__lt=now - EXPORT_LOST_PENDING)
    if AuditExport.objects.filter(waiting).exists() and queue_is_empty():
        lost |= waiting
    counts = {"restarted": 0, "failed": 0, "parts": 0}
    for job in AuditExport.objects.filter(lost):
        guard = AuditExport.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at)
        if job.created_at < now - EXPORT_GIVE_UP:
            message = "Its worker stopped and it was not finished within 30 minutes."
            if guard.update(status=ExportStatus.FAILED, error=message, finished_at=now):
                counts["failed"] += 1
        elif guard.update(status=ExportStatus.PENDING, progress=0, heartbeat_at=now):
            logger.warning("Audit export %s lost its worker; building it again", job.pk)
            build_audit_export.delay(job.pk)
            counts["restarted"] += 1
    live = set(
        AuditExport.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__gte=stale).values_list(
            "pk", flat=True
        )
    )
    for part in export_folder().glob(".*.part"):
        try:
            job_id = int(part.name[1:].split("-", 1)[0])
        except ValueError:
            continue
        with contextlib.suppress(FileNotFoundError):
            if job_id not in live and part.stat().st_mtime < stale.timestamp():
                part.unlink(missing_ok=True)
                counts["parts"] += 1
    return counts


@shared_task(name="training.tasks.resume_lost_exports")
def resume_lost_exports_task() -> dict:
    """Build again the audit exports whose worker died (a heartbeat older than a minute)."""
    return resume_lost_exports()


# --- Reminders ------------------------------------------------------------------------------


@shared_task
def send_reminders(cadence: str = "monthly", dry_run: bool = False, today: str | None = None) -> dict:
    """Send the current reminder (``cadence`` monthly or weekly) once to each recipient.

    With ``dry_run`` nothing is sent or recorded; the plan is returned.
    """
    day = date.fromisoformat(today) if today else None
    return reminders.send_reminders(cadence=cadence, dry_run=dry_run, today=day)
