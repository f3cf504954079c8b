"""In-person classes and their attendance: the attendance upload's checks and service."""

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja import Router

from training.classes.attendance_import import check_codes
from training.classes.services import ClassNotStartedError, record_attendance
from training.models import InPersonClass, RecordSource

from ..auth import require_write
from ..filters import PAGE_PARAMS, check_year
from ..pagination import check_query, paginate
from ..problems import Problem, invalid, not_found
from ..schemas import AttendanceIn, AttendanceOut, ClassOut, page_of

router = Router(tags=["classes"])


def _class(klass) -> dict:
    return ClassOut.from_orm(klass).model_dump(mode="json")


@router.get("/classes", response={200: page_of(ClassOut), 304: None}, summary="In-person classes")
def list_classes(request, year: int | None = None, limit: int | None = None, cursor: str | None = None):
    """Classes organised by a unit in your scope, by id. ``year``: classes starting in it."""
    check_query(request, PAGE_PARAMS | {"year"})
    classes = InPersonClass.objects.organised_within(request.user).select_related("organising_unit")
    if check_year(year):
        classes = classes.filter(start_date__year=year)
    return paginate(
        request, classes, endpoint="classes", key="id", serialize=_class, limit=limit, cursor=cursor
    )


@router.post(
    "/classes/{int:class_id}/attendance",
    response={200: AttendanceOut},
    summary="Record attendance",
)
def post_attendance(request, class_id: int, payload: AttendanceIn):
    """Mark officers present at a class, by their codes. All or nothing: if any code is blank,
    repeated, too long or not held by an officer of your units, nothing is recorded and every
    bad entry is listed in ``errors`` (its pointer names the entry: ``/officer_codes/3``).
    Officers already on the list are skipped, so sending the same list twice is harmless."""
    require_write(request)
    klass = InPersonClass.objects.organised_within(request.user).filter(pk=class_id).first()
    if klass is None:
        raise not_found()
    rows = [(index, code.strip()) for index, code in enumerate(payload.officer_codes)]
    if not rows:
        raise invalid(_("The list has no officer codes."), [])
    sheet = check_codes(rows, user=request.user)
    if not sheet.ok:
        raise invalid(
            _("%(count)s entry(ies) have errors; nothing was recorded.") % {"count": len(sheet.errors)},
            [
                {"pointer": f"#/officer_codes/{e.row}", "code": e.code, "detail": str(e.reason)}
                for e in sheet.errors
            ],
        )
    try:
        with transaction.atomic():
            made = record_attendance(
                in_person_class=klass,
                officers=sheet.officers,
                source=RecordSource.UPLOAD,
                recorded_by=request.user,
            )
    except ClassNotStartedError as error:
        raise Problem(
            409,
            "class-not-started",
            _("The class has not started"),
            _("Attendance can be recorded from %(date)s, the class's first day.")
            % {"date": date_format(error.start_date, "SHORT_DATE_FORMAT")},
        ) from None
    return {
        "rows": len(sheet.officers),
        "newly_present": len(made),
        "already_present": len(sheet.officers) - len(made),
        "record_ids": [record.pk for record in made],
    }
