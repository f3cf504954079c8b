"""Periodic work of the courses app."""

from celery import shared_task

from lms.celery import app

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


def _register_schedule(sender=None, **kwargs) -> None:
    target = sender or app
    target.conf.beat_schedule = {**(target.conf.beat_schedule or {}), **BEAT_ENTRY}


# The beat schedule is the app's: registered here, not in settings.
app.on_after_finalize.connect(_register_schedule, weak=False)
_register_schedule(app)
