"""Reads of certificates for other apps' screens."""

from dataclasses import dataclass

from training.models import TrainingRecord

from .models import Certificate, CertificateStatus


@dataclass
class CourseCertificate:
    """A learner's certificate for an online course, as the quiz's result page shows it.

    ``state`` is "ready" (``certificate`` can be downloaded), "preparing" (issued and being
    rendered, or its issue is being retried), "failed" (rendering failed; retried automatically)
    or "none" (the course's record grants no certificate, or there is no record)."""

    state: str
    certificate: Certificate | None = None


def course_certificate(user, course_id: int) -> CourseCertificate:
    """The current certificate of ``user``'s valid record for the course (two queries at most)."""
    certificate = (
        Certificate.objects.owned_by(user)
        .current()
        .filter(record__course_id=course_id, revoked_at__isnull=True)
        .order_by("-issued_on", "-id")
        .first()
    )
    if certificate is not None:
        if certificate.status == CertificateStatus.VALID:
            return CourseCertificate("ready", certificate)
        if certificate.status == CertificateStatus.FAILED:
            return CourseCertificate("failed", certificate)
        return CourseCertificate("preparing", certificate)
    # No certificate yet: one is on its way when a valid record of this course grants one (the
    # issue runs after the record's commit, or as a retried task).
    granted = (
        TrainingRecord.objects.filter(
            officer__user=user, course_id=course_id, grants_certificate=True, voided_at__isnull=True
        ).exists()
        if user.is_authenticated
        else False
    )
    return CourseCertificate("preparing" if granted else "none")
