"""The yearly audit through the screens' own selectors (training.audit): no second copy of the rules."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from training.audit.requests import audit_request
from training.audit.selectors import role_rows, unit_table

from ..pagination import check_query, json_response
from ..problems import forbidden, not_found
from ..schemas import AuditOut

router = Router(tags=["audit"])


def _figure(figure) -> dict | None:
    if figure is None:
        return None
    return {
        "required": figure.required,
        "done": figure.done,
        "missing": figure.missing,
        "percent": figure.percent,
    }


def _figures(figures: dict) -> dict:
    return {str(target): _figure(figure) for target, figure in figures.items()}


@router.get("/audit/{int:year}", response={200: AuditOut, 304: None}, summary="Audit figures")
def audit(request, year: int, unit: str | None = None):
    """The audit of ``year`` for ``unit`` (a unit's code; default: the top of your scope): the
    figures of each target, one row per child unit (each its whole subtree, distinct persons),
    and one row per role. The same figures as the /audit/ screen; a closed year is frozen."""
    check_query(request, {"unit"})
    try:
        audit = audit_request(request.user, {"year": year, "unit": unit or ""})
    except PermissionDenied:
        raise forbidden(_("Only auditors and unit managers see the audit.")) from None
    except Http404:
        raise not_found(_("No such year or no unit with this code in your scope.")) from None
    node = audit.node
    totals, rows = unit_table(audit.source, request.user, node)
    roles = role_rows(audit.source, request.user, node)
    body = {
        "year": audit.year,
        "closed": audit.source.frozen,
        "unit": None,
        "unit_name": node.name if node else "",
        "targets": _figures(totals),
        "units": [
            {
                "code": row.node.code,
                "name": row.node.name,
                "level": row.node.level,
                "is_self": row.is_self,
                "figures": _figures(row.figures),
            }
            for row in rows
        ],
        "roles": [{"role": row.role, "figures": _figures(row.figures)} for row in roles],
    }
    if node is not None and not node.is_scope:
        body["unit"] = {"code": node.code, "name": node.name, "level": node.level}
    return json_response(request, AuditOut(**body).model_dump(mode="json"))
