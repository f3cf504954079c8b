"""Reads of the ledger and the certificates, scoped as on the screens."""

from datetime import datetime

from django.db.models import Q
from ninja import Router

from certificates.models import Certificate
from organizations.scope import scope_filter
from training.models import TrainingRecord

from ..filters import PAGE_PARAMS, aware_moment, check_choice, check_year, unit_in_scope
from ..pagination import check_query, json_response, paginate
from ..problems import not_found
from ..schemas import CertificateOut, TrainingRecordOut, page_of

router = Router(tags=["ledger"])

RECORD_STATUSES = ("valid", "void")


def _records(user):
    # Whose history a viewer may open on the screens: officers whose home unit is in scope
    # (training.ledger.selectors.officers_with_history).
    return TrainingRecord.objects.filter(scope_filter(user, "officer__unit__path")).select_related("officer")


def _record(record) -> dict:
    return TrainingRecordOut.from_orm(record).model_dump(mode="json")


@router.get("/training-records", response={200: page_of(TrainingRecordOut), 304: None}, summary="Ledger")
def list_records(
    request,
    year: int | None = None,
    unit: str | None = None,
    officer: int | None = None,
    status: str | None = None,
    changed_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
):
    """Training records of officers whose home unit is in your scope, by id. ``unit``: the
    officers of a unit's subtree. ``status``: valid or void. ``changed_since``: recorded or
    voided at or after this moment (ISO 8601 with offset)."""
    check_query(request, PAGE_PARAMS | {"year", "unit", "officer", "status", "changed_since"})
    records = _records(request.user)
    if check_year(year):
        records = records.for_year(year)
    if unit:
        records = records.filter(officer__unit__path__startswith=unit_in_scope(request.user, unit).path)
    if officer is not None:
        records = records.filter(officer_id=officer)
    if check_choice("status", status, RECORD_STATUSES) == "valid":
        records = records.valid()
    elif status == "void":
        records = records.filter(voided_at__isnull=False)
    if since := aware_moment(changed_since):
        records = records.filter(Q(recorded_at__gte=since) | Q(voided_at__gte=since))
    return paginate(
        request,
        records,
        endpoint="training-records",
        key="id",
        serialize=_record,
        limit=limit,
        cursor=cursor,
    )


@router.get("/training-records/{int:record_id}", response=TrainingRecordOut, summary="One record")
def get_record(request, record_id: int):
    record = _records(request.user).filter(pk=record_id).first()
    if record is None:
        raise not_found()
    return json_response(request, _record(record))


CERTIFICATE_STATUS_Q = {
    "revoked": Q(revoked_at__isnull=False),
    "superseded": Q(revoked_at__isnull=True, superseded_at__isnull=False),
    "valid": Q(revoked_at__isnull=True, superseded_at__isnull=True) & ~Q(pdf_sha256=""),
    "preparing": Q(revoked_at__isnull=True, superseded_at__isnull=True, pdf_sha256="", render_failed_at=None),
    "failed": Q(revoked_at__isnull=True, superseded_at__isnull=True, pdf_sha256="")
    & Q(render_failed_at__isnull=False),
}


def _certificates(user):
    # The file's path and hash never leave the server: they are not even read.
    return (
        Certificate.objects.visible_to(user)
        .select_related("officer")
        .defer("pdf_path", "render_error", "file_key")
    )


def _certificate(certificate) -> dict:
    return CertificateOut(
        id=certificate.id,
        register_number=certificate.number_display,
        year=certificate.year,
        issued_on=certificate.issued_on,
        status=certificate.status,
        verify_url=certificate.verification_url(),
        officer_id=certificate.officer_id,
        officer_code=certificate.officer.code,
        full_name=certificate.full_name,
        training_title=certificate.training_title,
        training_start=certificate.training_start,
        training_end=certificate.training_end,
        hours=certificate.hours,
        record_id=certificate.record_id,
        supersedes_id=certificate.supersedes_id,
        superseded_at=certificate.superseded_at,
        revoked_at=certificate.revoked_at,
        created_at=certificate.created_at,
    ).model_dump(mode="json")


@router.get("/certificates", response={200: page_of(CertificateOut), 304: None}, summary="Certificates")
def list_certificates(
    request,
    year: int | None = None,
    unit: str | None = None,
    status: str | None = None,
    changed_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
):
    """Certificates of officers in your scope, by id: register number, status and the public
    verification URL (never the file). ``status``: preparing, failed, valid, superseded or
    revoked. ``changed_since``: issued, superseded or revoked at or after this moment."""
    check_query(request, PAGE_PARAMS | {"year", "unit", "status", "changed_since"})
    certificates = _certificates(request.user)
    if check_year(year):
        certificates = certificates.filter(year=year)
    if unit:
        certificates = certificates.filter(
            officer__unit__path__startswith=unit_in_scope(request.user, unit).path
        )
    if check_choice("status", status, tuple(CERTIFICATE_STATUS_Q)):
        certificates = certificates.filter(CERTIFICATE_STATUS_Q[status])
    if since := aware_moment(changed_since):
        certificates = certificates.filter(
            Q(created_at__gte=since) | Q(revoked_at__gte=since) | Q(superseded_at__gte=since)
        )
    return paginate(
        request,
        certificates,
        endpoint="certificates",
        key="id",
        serialize=_certificate,
        limit=limit,
        cursor=cursor,
    )


@router.get("/certificates/{int:certificate_id}", response=CertificateOut, summary="One certificate")
def get_certificate(request, certificate_id: int):
    certificate = _certificates(request.user).filter(pk=certificate_id).first()
    if certificate is None:
        raise not_found()
    return json_response(request, _certificate(certificate))
