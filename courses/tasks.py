"""Periodic work of the courses app."""

from celery import shared_task

CLOSE_OVERDUE_EVERY_SECONDS = 60.0
BEAT_SCHEDULE = {
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
