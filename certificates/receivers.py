"""Listeners for other apps' events."""

from training.models import TrainingRecord

from . import services


def issue_on_training_recorded(sender, record_id: int, **kwargs) -> None:
    """A new training record: issue its certificate if the training grants one (idempotent)."""
    record = TrainingRecord.objects.select_related("officer__unit").filter(pk=record_id).first()
    if record is not None:
        services.issue_certificate(record=record)


def sweep_on_worker_ready(sender=None, **kwargs) -> None:
    """A worker started: re-queue renders that a killed worker may have lost."""
    from .tasks import render_missing_pdfs

    render_missing_pdfs.delay()
