"""Roster upserts: the rows go through the roster import's own planner and writer.

The request's ``units`` and ``officers`` arrays become the import's two sheets (the field names
are the columns' documented aliases), so every check of an uploaded file applies unchanged:
codes, levels, dates, phones, e-mail addresses, the uploader's scope, duplicates across rows,
roles to open and close. All or nothing: one bad row and nothing is written.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from organizations.importing import layout
from organizations.importing.apply import apply_plan
from organizations.importing.files import RosterFile, Sheet
from organizations.importing.plan import Scope
from organizations.importing.planner import build_plan

from ..auth import require_write
from ..problems import invalid
from ..schemas import OfficerRowIn, RosterIn, RosterOut, UnitRowIn

router = Router(tags=["roster"])

SHEETS = (("units", layout.UNITS, UnitRowIn), ("officers", layout.OFFICERS, OfficerRowIn))
_LABEL = re.compile(r"^[A-Z]+ \((?P<field>\w+)\)$")


def _sheet(title: str, kind: str, schema, rows: list) -> Sheet:
    headers = list(schema.model_fields)
    data = [(index, tuple(getattr(row, name) for name in headers)) for index, row in enumerate(rows)]
    return Sheet(kind=kind, title=title, headers=headers, rows=iter(data), total_rows=len(data))


def _pointer(problem: dict) -> str:
    """Where a problem of the planner lies in the request body, as a JSON Pointer."""
    match = _LABEL.match(str(problem.get("column") or ""))
    parts = [problem["sheet"]]
    if problem.get("row") is not None:
        parts.append(str(problem["row"]))
    if match:
        parts.append(match["field"])
    return "#/" + "/".join(parts)


def _errors(plan) -> list[dict]:
    return [{"pointer": _pointer(p), "detail": str(p["message"])} for p in plan.problems]


@router.post("/roster", response={200: RosterOut}, summary="Upsert units and officers")
def post_roster(request, payload: RosterIn):
    """Create or update units and officers, and open or close their roles, exactly as a roster
    file would. ``dry_run``: check and answer what would change, write nothing. With any error
    nothing is written and every one is listed in ``errors``, pointing at its row and field
    (``#/officers/4/date_of_birth``; rows are numbered from 0)."""
    require_write(request)
    sheets = [
        _sheet(title, kind, schema, getattr(payload, title))
        for title, kind, schema in SHEETS
        if getattr(payload, title)
    ]
    if not sheets:
        raise invalid(_("Send at least one unit or officer row."), [])
    plan = build_plan(
        RosterFile(sheets=sheets),
        scope=Scope.for_user(request.user),
        today=timezone.localdate(),
        close_missing=payload.close_missing,
    )
    if not plan.ok:
        raise invalid(
            _("%(count)s problem(s) found; nothing was written.") % {"count": plan.problem_count},
            _errors(plan),
        )
    if not payload.dry_run:
        with transaction.atomic():
            apply_plan(plan)
    return {"written": not payload.dry_run, "summary": plan.summary()}
