"""Listeners for other apps' events."""

from training.models import TrainingRecord

from . import services


def issue_on_training_recorded(sender, record_id: int, **kwargs) -> None:
    """A new training record: issue its certificate if the training grants one (idempotent)."""
    record = TrainingRecord.objects.select_related("officer__unit").filter(pk=record_id).first()
    if record is not None:
        services.issue_certificate(record=record)
