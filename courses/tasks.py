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


@shared_task(bind=True, name="courses.tasks.make_small_video", max_retries=3, acks_late=True)
def make_small_video(self, document_id: int) -> str:
    """Make the ≤ 360p copy of an uploaded video (ffmpeg). Idempotent: a retry or a second
    delivery finds the copy made and keeps it. A file ffmpeg cannot read is marked failed at
    once; other errors are retried, then marked failed."""
    from .videos import VideoUnusable, mark_failed
    from .videos import make_small_video as make

    try:
        small = make(document_id=document_id)
    except VideoUnusable as error:
        mark_failed(document_id=document_id, error=str(error))
        return "failed"
    except Exception as error:
        if self.request.retries >= self.max_retries:
            mark_failed(document_id=document_id, error=repr(error))
            raise
        raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error
    return "done" if small is not None else "skipped"
