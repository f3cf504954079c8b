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
from django.utils import translation

from core.jobs import resume_lost_generated_files

from . import audit_services
from .audit import assignments, exports, reminders
from .audit.requests import audit_request
from .classes import invitations
from .models import AuditExport

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
    # Required courses: every hour, new assignments are announced (one message a day at most);
    # every night, a full recomputation catches whatever a lost task missed.
    "training-announce-assignments": {
        "task": "training.tasks.announce_assignments",
        "schedule": crontab(minute=10),
    },
    "training-recompute-assignments": {
        "task": "training.tasks.recompute_assignments",
        "schedule": crontab(minute=0, hour=1),
    },
    # Invitation batches whose worker died, or whose task was lost, are sent again.
    "training-resume-invitation-batches": {
        "task": "training.tasks.resume_invitation_batches",
        "schedule": float(settings.JOB_SWEEP_SECONDS),
    },
    # The day before a class: a reminder to whoever accepted it (or has not answered), once each.
    "training-class-reminders": {
        "task": "training.tasks.send_class_reminders",
        "schedule": crontab(minute=0, hour=9),
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


@shared_task
def build_audit_export(job_id: int) -> str:
    """Build the export of an ``AuditExport`` job, reporting progress and a heartbeat.

    Idempotent and safe to receive twice: the build claims the job first (waiting, or running
    with a heartbeat older than ``JOB_STALE_SECONDS``: its worker died); a finished job, or one a
    live worker is building, is left alone. A restarted build starts from the beginning and
    removes what the dead one left; the file's name is the same, so there is never a second file.
    """
    job = AuditExport.objects.select_related("requested_by").get(pk=job_id)
    if not AuditExport.claim(job.pk, progress=1):
        job.refresh_from_db()
        return job.file_path
    for part in AuditExport.part_files(job.pk):
        part.unlink(missing_ok=True)
    params = dict(job.params)
    view, fmt = params.pop("view"), params.pop("fmt")
    temporary = None
    try:
        with AuditExport.beating(job.pk), translation.override(settings.LANGUAGE_CODE):
            audit = audit_request(job.requested_by, params)
            total = max(exports.estimated_rows(audit, view), 1)

            def progress(done: int) -> None:
                AuditExport.mark_progress(job.pk, max(1, min(95, done * 95 // total)))

            name = f"{job.pk}-{exports.file_name(audit, view, fmt)}"
            temporary = export_folder() / f".{name}.part"
            with temporary.open("wb") as out:  # written as it is built: flat memory at any size
                exports.write(audit, view, fmt, out, progress=progress)
            os.replace(temporary, export_folder() / name)
    except Exception as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        logger.exception("Audit export %s failed", job.pk)
        AuditExport.fail(job.pk, str(error)[:1000])
        raise
    except BaseException:
        # The worker is stopping: the sweep restarts the build once its heartbeat is old.
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    AuditExport.finish(job.pk, name)
    return name


def resume_lost_exports(*, now=None) -> dict:
    """Start again the exports whose worker died (a beat task, every ``JOB_SWEEP_SECONDS``); see
    ``core.jobs.resume_lost_generated_files``. Idempotent."""
    return resume_lost_generated_files(AuditExport, build_task=build_audit_export, now=now)


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


# --- Required courses -------------------------------------------------------------------------


@shared_task(name="training.tasks.recompute_assignments")
def recompute_assignments(
    years: list[int] | None = None, officer_ids: list[int] | None = None, unit_id: int | None = None
) -> dict:
    """Bring the required-course assignments in line with the year's rules (idempotent).

    ``officer_ids`` or ``unit_id`` (the officers holding roles there): only them; neither: everyone.
    """
    officers = assignments.officers_at_unit(unit_id) if unit_id is not None else officer_ids
    return assignments.recompute(years=years, officer_ids=officers)


@shared_task(name="training.tasks.announce_assignments")
def announce_assignments() -> dict:
    """Tell officers of their new assignments: one message each, at most one a day."""
    return assignments.announce()


# --- Class invitations -----------------------------------------------------------------------


@shared_task
def send_invitation_batch(batch_id: int) -> int:
    """Invite a batch's officers to its class (more than a request should do); idempotent."""
    with translation.override(settings.LANGUAGE_CODE):
        return invitations.run_batch(batch_id)


@shared_task
def send_class_reminders() -> int:
    """The day before each class, remind its invitees once (a beat task)."""
    with translation.override(settings.LANGUAGE_CODE):
        return invitations.send_reminders()


@shared_task
def resume_invitation_batches() -> int:
    """Send again the invitation batches a dead worker or a lost task left (a beat task)."""
    ids = invitations.lost_batches()
    for batch_id in ids:
        send_invitation_batch.delay(batch_id)
    return len(ids)
