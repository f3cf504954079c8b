"""Periodic work of the courses app."""

from celery import shared_task

from lms.celery import add_periodic_tasks

CLOSE_OVERDUE_EVERY_SECONDS = 60.0
BEAT_ENTRY = {
    "courses.close_overdue_attempts": {
        "task": "courses.tasks.close_overdue_attempts",
        "schedule": CLOSE_OVERDUE_EVERY_SECONDS,
    }
}


@shared_task(name="courses.tasks.close_overdue_attempts")
def close_overdue_attempts() -> int:
    """Close and grade timed quiz attempts whose learner never came back. Idempotent."""
    from .services import close_overdue_attempts as close

    return len(close())


add_periodic_tasks(BEAT_ENTRY)
