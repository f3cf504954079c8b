"""Invitations sent in the background. Tasks take ids and are idempotent."""

from celery import shared_task
from django.conf import settings


# The name it had in organizations, so invitations queued before an upgrade are still sent.
@shared_task(name="organizations.tasks.send_invitations")
def send_invitations(invitation_ids: list[int]) -> dict:
    """Send a batch of invitations; failures are recorded on each invitation and counted here."""
    from .invitations import send_invitation_emails

    report = send_invitation_emails(invitation_ids=invitation_ids)
    return {"sent": report.sent, "failed": len(report.failed)}


# --- Activation sheets of large units --------------------------------------------------------

BEAT_SCHEDULE = {
    # Every minute (JOB_SWEEP_SECONDS): sheets whose worker died are built again.
    "accounts-resume-activation-sheets": {
        "task": "accounts.tasks.resume_lost_activation_sheets",
        "schedule": float(settings.JOB_SWEEP_SECONDS),
    },
    "accounts-expire-activation-sheets": {
        "task": "accounts.tasks.expire_activation_sheets",
        "schedule": 24 * 3600.0,
    },
}


@shared_task
def build_activation_sheet(job_id: int) -> str:
    """Make fresh codes for the unit's officers without an account and print them to the job's
    PDF, with progress and a heartbeat.

    Idempotent: the build claims the job first, so a finished sheet is not built again and two
    workers never build one. A build restarted after its worker died makes fresh codes again
    (superseding those of the lost build, which nobody saw) and writes the same file name.
    """
    import logging
    import os

    from . import activation
    from .models import ActivationSheet
    from .sheets import render_sheet

    job = ActivationSheet.objects.select_related("unit", "requested_by").get(pk=job_id)
    if not ActivationSheet.claim(job.pk, progress=1):
        job.refresh_from_db()
        return job.file_path
    folder = ActivationSheet.file_root()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}-kich-hoat-{job.unit.code}.pdf"
    temporary = folder / f".{name}.part"
    try:
        with ActivationSheet.beating(job.pk):
            officers = list(activation.sheet_officers(job.requested_by, job.unit, subtree=job.subtree))
            issued = activation.issue_codes(officers=officers, by=job.requested_by)
            total = max(len(issued), 1)
            content = render_sheet(
                issued, progress=lambda done: ActivationSheet.mark_progress(job.pk, 5 + done * 90 // total)
            )
            temporary.write_bytes(content)
            os.replace(temporary, folder / name)
    except Exception as error:
        temporary.unlink(missing_ok=True)
        logging.getLogger(__name__).exception("Activation sheet %s failed", job.pk)
        ActivationSheet.fail(job.pk, str(error)[:1000])
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)  # the worker is stopping: the sweep builds it again
        raise
    ActivationSheet.finish(job.pk, name, officer_count=len(issued))
    return name


@shared_task(name="accounts.tasks.resume_lost_activation_sheets")
def resume_lost_activation_sheets() -> dict:
    from core.jobs import resume_lost_generated_files

    from .models import ActivationSheet

    return resume_lost_generated_files(ActivationSheet, build_task=build_activation_sheet)


@shared_task(name="accounts.tasks.expire_activation_sheets")
def expire_activation_sheets() -> int:
    """Delete sheets older than ``GENERATED_FILE_RETENTION_DAYS`` (they hold live codes)."""
    from core.jobs import expire_generated_files

    from .models import ActivationSheet

    return expire_generated_files(ActivationSheet)
