"""Background roster imports. Tasks take ids and are idempotent (see importing.jobs)."""

from celery import shared_task

from .importing import jobs


@shared_task
def check_roster_import(job_id: int) -> str:
    job = jobs.check_job(job_id)
    return job.status if job else "missing"


@shared_task
def apply_roster_import(job_id: int) -> str:
    job = jobs.apply_job(job_id)
    return job.status if job else "missing"


@shared_task
def send_invitations(invitation_ids: list[int]) -> int:
    from .services import send_invitation_emails

    return send_invitation_emails(invitation_ids=invitation_ids)
