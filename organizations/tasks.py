"""Background roster imports. Tasks take ids and are idempotent (see importing.jobs)."""

from celery import shared_task
from django.conf import settings

from .importing import jobs

# Every minute: an import whose worker died is started again (see importing.jobs.sweep_jobs).
SWEEP_EVERY_SECONDS = float(settings.JOB_SWEEP_SECONDS)
BEAT_SCHEDULE = {
    "organizations.sweep_roster_imports": {
        "task": "organizations.tasks.sweep_roster_imports",
        "schedule": SWEEP_EVERY_SECONDS,
    }
}


@shared_task
def check_roster_import(job_id: int) -> str:
    job = jobs.check_job(job_id)
    return job.status if job else "missing"


@shared_task
def apply_roster_import(job_id: int) -> str:
    job = jobs.apply_job(job_id)
    return job.status if job else "missing"


@shared_task(name="organizations.tasks.sweep_roster_imports")
def sweep_roster_imports() -> dict:
    """Restart imports whose worker died (fail them after long), expire unconfirmed previews."""
    return jobs.sweep_jobs()
