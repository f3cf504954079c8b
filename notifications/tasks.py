"""Delivery in the background. Tasks take ids and are idempotent (a message is claimed first)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_message(message_id: int) -> str:
    """One attempt; retries are scheduled by ``services.deliver`` itself (with the backoff on the
    row, so the sweep can re-send one whose countdown a killed worker held)."""
    return services.deliver(message_id)


@shared_task
def sweep_messages() -> dict:
    return services.sweep_messages()


BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_messages",
        "schedule": float(getattr(settings, "JOB_SWEEP_SECONDS", 60)),
    },
}
