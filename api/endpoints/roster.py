"""Reads of the union tree, the officers and their roles: exactly what the roster screens show."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from ninja import Router

from organizations.models import Officer, RoleAssignment, Unit, UnitLevel
from organizations.scope import scope_filter
from organizations.selectors import officer_with_roles, units_for

from ..filters import PAGE_PARAMS, aware_moment, check_choice, check_role, check_year, unit_in_scope
from ..pagination import check_query, json_response, paginate
from ..problems import not_found
from ..schemas import OfficerDetailOut, OfficerOut, RoleAssignmentOut, UnitOut, page_of

router = Router(tags=["roster"])


def _units(user):
    """Units in scope, each with its parent's code when the user may see the parent."""
    parents = Unit.objects.filter(
        scope_filter(user), path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen)
    )
    return units_for(user).annotate(parent_code=Subquery(parents.values("code")[:1]))


def _unit(unit) -> dict:
    return UnitOut.from_orm(unit).model_dump(mode="json")


@router.get("/units", response={200: page_of(UnitOut), 304: None}, summary="The union tree")
def list_units(
    request,
    under: str | None = None,
    level: str | None = None,
    changed_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
):
    """Units in your scope in tree order (by path). ``under``: a unit's code; that unit and
    everything below it. ``level``: city, upper or grassroots. ``changed_since``: created or
    changed at or after this moment (ISO 8601; without an offset, Hanoi time)."""
    check_query(request, PAGE_PARAMS | {"under", "level", "changed_since"})
    units = _units(request.user)
    if under:
        units = units.filter(path__startswith=unit_in_scope(request.user, under).path)
    if check_choice("level", level, UnitLevel.values):
        units = units.filter(level=level)
    if since := aware_moment(changed_since):
        units = units.filter(updated_at__gte=since)
    return paginate(request, units, endpoint="units", key="path", serialize=_unit, limit=limit, cursor=cursor)


@router.get("/units/{int:unit_id}", response=UnitOut, summary="One unit")
def get_unit(request, unit_id: int):
    unit = _units(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise not_found()
    return json_response(request, _unit(unit))


def _officer(officer) -> dict:
    return OfficerOut.from_orm(officer).model_dump(mode="json")


def _holding(role: str, year: int | None):
    """Officers holding ``role`` in ``year`` (any part of it), or today without a year."""
    assignments = RoleAssignment.objects.filter(officer=OuterRef("pk"), role=role)
    if year:
        assignments = assignments.active_in_year(year)
    else:
        assignments = assignments.active_on(timezone.localdate())
    return Exists(assignments)


@router.get("/officers", response={200: page_of(OfficerOut), 304: None}, summary="Officers")
def list_officers(
    request,
    unit: str | None = None,
    role: str | None = None,
    year: int | None = None,
    changed_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
):
    """Officers whose home unit is in your scope, by id. ``unit``: a unit's code, its whole
    subtree. ``role``: holding that role today, or at any time in ``year``. ``changed_since``:
    the officer's own row created or changed at or after this moment (their roles have their own
    list and time)."""
    check_query(request, PAGE_PARAMS | {"unit", "role", "year", "changed_since"})
    officers = Officer.objects.in_scope(request.user).select_related("unit")
    if unit:
        officers = officers.filter(unit__path__startswith=unit_in_scope(request.user, unit).path)
    if check_role(role):
        officers = officers.filter(_holding(role, check_year(year)))
    if since := aware_moment(changed_since):
        officers = officers.filter(updated_at__gte=since)
    return paginate(
        request, officers, endpoint="officers", key="id", serialize=_officer, limit=limit, cursor=cursor
    )


def _role(assignment) -> dict:
    return {
        "id": assignment.id,
        "officer_id": assignment.officer_id,
        "officer_code": assignment.officer.code,
        "role": assignment.role,
        "unit": {"id": assignment.unit_id, "code": assignment.unit.code},
        "start_date": assignment.start_date,
        "end_date": assignment.end_date,
        "updated_at": assignment.updated_at,
    }


@router.get("/officers/{int:officer_id}", response=OfficerDetailOut, summary="One officer with roles")
def get_officer(request, officer_id: int):
    try:
        officer = officer_with_roles(request.user, officer_id)
    except Officer.DoesNotExist:
        raise not_found() from None
    body = _officer(officer)
    body["roles"] = [
        RoleAssignmentOut(**_role(assignment)).model_dump(mode="json") for assignment in officer.roles.all()
    ]
    return json_response(request, body)


ROLE_STATUSES = ("current", "ended")


@router.get("/role-assignments", response={200: page_of(RoleAssignmentOut), 304: None}, summary="Roles")
def list_roles(
    request,
    unit: str | None = None,
    role: str | None = None,
    year: int | None = None,
    status: str | None = None,
    changed_since: datetime | None = None,
    limit: int | None = None,
    cursor: str | None = None,
):
    """Role assignments at units in your scope, by id. ``unit``: a unit's subtree. ``year``: active
    at any time in the year. ``status``: current (open today) or ended. ``changed_since``:
    opened or changed (e.g. ended) at or after this moment."""
    check_query(request, PAGE_PARAMS | {"unit", "role", "year", "status", "changed_since"})
    roles = RoleAssignment.objects.filter(scope_filter(request.user, "unit__path")).select_related(
        "unit", "officer"
    )
    if unit:
        roles = roles.filter(unit__path__startswith=unit_in_scope(request.user, unit).path)
    if check_role(role):
        roles = roles.filter(role=role)
    if check_year(year):
        roles = roles.active_in_year(year)
    today = timezone.localdate()
    if check_choice("status", status, ROLE_STATUSES) == "current":
        roles = roles.active_on(today)
    elif status == "ended":
        roles = roles.filter(end_date__lt=today)
    if since := aware_moment(changed_since):
        roles = roles.filter(updated_at__gte=since)
    return paginate(
        request,
        roles.only(
            "id",
            "officer_id",
            "officer__code",
            "role",
            "unit_id",
            "unit__code",
            "start_date",
            "end_date",
            "updated_at",
        ),
        endpoint="role-assignments",
        key="id",
        serialize=lambda a: RoleAssignmentOut(**_role(a)).model_dump(mode="json"),
        limit=limit,
        cursor=cursor,
    )
