"""The life of a certificate: issued for a training record (numbered under the issuer's locked
counter), revoked, or reissued under a new number that supersedes the old one. Rendering and
storing the PDF, notifying and the sweeps are in ``services``; bulk ZIPs there too."""

import logging

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.tasks import enqueue

from . import numbering
from .models import Certificate, CertificateTemplate

logger = logging.getLogger(__name__)


# The name of the bare template made when a certificate is issued before any template exists.
BUILT_IN_TEMPLATE_NAME = "Mẫu mặc định"


def default_template() -> CertificateTemplate:
    """The template marked default, or a built-in one created on first use.

    Safe when several first issues race: the built-in one is inserted without save()'s
    "move the default here" (which would take the default from a racing creator), so the
    database's one-default constraint lets exactly one insert through and the others
    read the winner's.
    """
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            (template,) = CertificateTemplate.objects.bulk_create(
                [CertificateTemplate(name=BUILT_IN_TEMPLATE_NAME, is_default=True)]
            )
    except IntegrityError:
        template = CertificateTemplate.objects.get(is_default=True)
    return template


def _training_dates(record):
    """A class runs from its start to its end date; an online course is dated by its pass."""
    if record.in_person_class_id:
        return record.in_person_class.start_date, record.in_person_class.end_date
    return record.completed_on, record.completed_on


def _new_certificate(record, template: CertificateTemplate, supersedes: Certificate | None = None, **extra):
    """Snapshot the record and its officer into a new numbered certificate (inside a transaction)."""
    officer = record.officer
    issuer = numbering.issuer_for_record(record)
    issued_on = timezone.localdate()
    start, end = _training_dates(record)
    return Certificate.objects.create(
        record=record,
        officer=officer,
        template=template,
        issuer_code=issuer.code,
        issuer_name=issuer.name,
        year=issued_on.year,
        number=numbering.next_number(issuer.code, issued_on.year),
        verification_code=numbering.new_verification_code(),
        issued_on=issued_on,
        full_name=officer.full_name,
        date_of_birth=officer.date_of_birth,
        unit_name=officer.unit.name,
        training_title=record.title,
        training_start=start,
        training_end=end,
        hours=record.hours,
        supersedes=supersedes,
        **extra,
    )


class _RecordVoided(Exception):
    """Raised inside an issue's transaction to roll it back: the record was voided meanwhile."""


def _replaced_by_correction(record) -> Certificate | None:
    """For a record that corrects another: the corrected record's current, unrevoked certificate
    (locked), which the new record's certificate replaces. None otherwise."""
    if not record.corrects_id:
        return None
    return (
        Certificate.objects.select_for_update()
        .filter(record_id=record.corrects_id, superseded_at__isnull=True, revoked_at__isnull=True)
        .order_by("pk")
        .first()
    )


def _share_lock_record(record) -> None:
    """On PostgreSQL, take a FOR SHARE lock on the record's row for the issue's transaction.

    It waits for a void in progress (which holds the row FOR UPDATE) and keeps a void from
    starting until the issue commits, so the void's revocation sees the new certificate; it does
    not make issues of the same record wait for each other (they all take FOR SHARE), so racing
    issues still meet at the counter and the unique constraint. The ORM offers only FOR UPDATE.
    (A foreign key check would lock the row too, but Django's are deferred to commit.)
    SQLite has no row locks: there a write takes the whole database.
    """
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(record._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [record.pk])


def issue_certificate(
    *, record, template: CertificateTemplate | None = None
) -> tuple[Certificate | None, bool]:
    """Issue the certificate for a certificate-granting, non-voided training record.

    Idempotent: a record has at most one current certificate; a second call (or a
    racing one) returns it with ``created=False``. The number is taken under the
    issuer's locked counter in the same transaction, so a failed issue leaves no
    gap. The PDF is rendered by a worker after commit. Returns ``(None, False)``
    for records that grant no certificate or are voided (also when the void commits
    while the certificate is being issued).

    A record that corrects another (``corrects``) gets a reissue: in the same transaction
    the corrected record's current, unrevoked certificate is marked superseded and the new
    one points at it (``supersedes``), as ``reissue_certificate`` does. Seen twice, the
    event still makes one certificate and one supersede.
    """
    if not record.grants_certificate or record.voided_at is not None:
        return None, False
    existing = Certificate.objects.current().filter(record=record).first()
    if existing:
        return existing, False
    template = template or default_template()
    try:
        with transaction.atomic():
            _share_lock_record(record)
            replaced = _replaced_by_correction(record)
            extra = {}
            if replaced is not None:
                replaced.superseded_at = timezone.now()
                replaced.save(update_fields=["superseded_at"])
                extra["reissue_reason"] = type(record).objects.get(pk=record.corrects_id).void_reason
            certificate = _new_certificate(record, template, supersedes=replaced, **extra)
            # Read the record again under the lock (PostgreSQL) or the database's write lock
            # (SQLite, taken by the insert): a void that committed since the record was loaded
            # rolls this issue back; a later void finds the certificate and revokes it.
            if type(record).objects.filter(pk=record.pk, voided_at__isnull=False).exists():
                raise _RecordVoided
    except _RecordVoided:
        return None, False
    except IntegrityError:
        # The one expected conflict: a racing issue of the same record committed first
        # (one_current_certificate_per_record). Anything else is a real error.
        existing = Certificate.objects.current().filter(record=record).first()
        if existing is None:
            raise
        return existing, False
    from .tasks import render_certificate_pdf

    enqueue(render_certificate_pdf, certificate.pk)
    return certificate, True


REVOKE_ACTION = "certificates.revoke"
REISSUE_ACTION = "certificates.reissue"


class CertificateAlreadyRevoked(ValueError):
    """Refused: the certificate was revoked before (by another auditor, or a void)."""

    def __init__(self, certificate: Certificate):
        self.certificate = certificate
        super().__init__(
            _("This certificate was already revoked on %(day)s.")
            % {"day": formats.date_format(timezone.localtime(certificate.revoked_at), "SHORT_DATE_FORMAT")}
        )


class CertificateReplaced(ValueError):
    """Refused: a certificate replaced by a reissue is not revoked; the one that replaced it
    (``successor``, the end of the chain) is the valid certificate, and revoking that is a
    deliberate act on that certificate."""

    def __init__(self, certificate: Certificate, successor: Certificate | None):
        self.certificate = certificate
        self.successor = successor
        super().__init__(
            _(
                "Certificate %(number)s was replaced by %(successor)s and is no longer valid; "
                "nothing was revoked. To withdraw the certificate, revoke %(successor)s."
            )
            % {
                "number": certificate.number_display,
                "successor": successor.number_display if successor else "—",
            }
        )


def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a current certificate with a reason. It stays listed, shown as revoked; the PDF
    is kept. Writes one log entry (``certificates.revoke``, with the reason) in the same
    transaction.

    Refuses with a translated ValueError, changing nothing and logging nothing: a blank
    reason; a certificate replaced by a reissue (``CertificateReplaced``, which names the
    valid successor — the department's rule: the successor is revoked on purpose, not
    through its predecessor); one already revoked (``CertificateAlreadyRevoked``). The row
    is locked and its state read again inside the transaction, so a revoke racing a reissue
    or another revoke of the same certificate has one outcome and one log entry.
    """
    if not reason.strip():
        raise ValueError(_("A reason is required to revoke a certificate."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise CertificateAlreadyRevoked(certificate)
        if certificate.superseded_at is not None:
            raise CertificateReplaced(certificate, certificate.current_successor())
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        log(instance=certificate, action=REVOKE_ACTION, user=by, data={"reason": reason.strip()})
    return certificate


def revoke_for_voided_record(*, record) -> Certificate | None:
    """Revoke the current certificate of a just-voided training record, with the void's reason,
    by the user who voided it. Returns it, or None if the record has no unrevoked current one.

    Called inside the void's transaction (which holds the record's row lock), so an issue or a
    reissue of the same record cannot slip a valid certificate in beside it. Idempotent: a
    certificate already revoked keeps its first reason (and gets no second log entry).
    """
    certificate = (
        Certificate.objects.current()
        .select_for_update()
        .filter(record_id=record.pk, revoked_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if certificate is None:
        return None
    return revoke_certificate(certificate=certificate, by=record.voided_by, reason=record.void_reason)


def reissue_certificate(
    *, certificate: Certificate, by, reason: str, template: CertificateTemplate | None = None
) -> Certificate:
    """Replace a certificate with a new one (new number and code, fresh snapshot of the roster).

    The old certificate is marked superseded and points at its successor; its row
    and PDF bytes are left as they are. Writes one log entry on the old certificate
    (``certificates.reissue``) in the same transaction. Returns the new certificate; its PDF
    is rendered by a worker after commit. Raises ValueError (a translated message) for a
    blank reason, a certificate already replaced or revoked, or one whose training
    record was voided: none of these may turn into a new valid certificate.
    """
    from training.models import TrainingRecord

    if not reason.strip():
        raise ValueError(_("A reason is required to reissue a certificate."))
    with transaction.atomic():
        record_id = Certificate.objects.values_list("record_id", flat=True).get(pk=certificate.pk)
        # The record's row first, then the certificate's, in the order a void takes them:
        # a void and a reissue of the same record wait for each other instead of deadlocking.
        record = (
            TrainingRecord.objects.select_for_update(of=("self",))
            .select_related("officer__unit", "in_person_class__organising_unit")
            .get(pk=record_id)
        )
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.superseded_at is not None:
            raise ValueError(_("This certificate has already been replaced."))
        if old.revoked_at is not None:
            raise ValueError(_("A revoked certificate cannot be reissued."))
        if record.voided_at is not None:
            raise ValueError(
                _("The training record of this certificate was voided, so it cannot be reissued.")
            )
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = _new_certificate(
            record, template or default_template(), supersedes=old, reissue_reason=reason.strip()
        )
        log(
            instance=old,
            action=REISSUE_ACTION,
            user=by,
            data={"reason": reason.strip(), "successor": new.pk, "successor_number": new.number_display},
        )
    from .tasks import render_certificate_pdf

    enqueue(render_certificate_pdf, new.pk)
    return new
