"""Listeners for other apps' events."""

import logging

from core.tasks import enqueue
from training.models import TrainingRecord

from . import issuing

logger = logging.getLogger(__name__)


def issue_on_training_recorded(sender, record_id: int, **kwargs) -> None:
    """A new training record: issue its certificate if the training grants one (idempotent).

    Issued at once so the learner sees "being prepared" straight away; if that fails
    (say, the database is briefly locked), a retried task issues it instead, and the
    request that recorded the training is not broken.
    """
    try:
        record = (
            TrainingRecord.objects.select_related("officer__unit", "in_person_class__organising_unit")
            .filter(pk=record_id)
            .first()
        )
        if record is not None:
            issuing.issue_certificate(record=record)
    except Exception:
        logger.exception("Issuing the certificate for training record %s failed; queued a retry", record_id)
        from .tasks import issue_certificate_for_record

        enqueue(issue_certificate_for_record, record_id)


def revoke_on_training_voided(sender, record, **kwargs) -> None:
    """A training record was voided: revoke its certificate with the void's reason and user.

    Runs inside the void's transaction and lets errors through, so a void never commits
    while its record keeps a valid certificate.
    """
    issuing.revoke_for_voided_record(record=record)


def sweep_on_worker_ready(sender=None, **kwargs) -> None:
    """A worker started: re-queue renders that a killed worker may have lost."""
    from .tasks import render_missing_pdfs

    render_missing_pdfs.delay()
