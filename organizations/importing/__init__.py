"""Roster import from Excel (.xlsx) or UTF-8 CSV.

``import_roster(path, scope=..., dry_run=...)`` checks the file (files.py), validates every
row against the database and the uploader's scope into a Plan (planner.py: rows.py → checks/ →
matching.py → roles.py → plan.py) and, when nothing is wrong and it is not a dry run, writes it all
in one transaction (apply.py).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .apply import apply_plan
from .files import FileRefused, open_roster
from .plan import Plan, Scope
from .planner import build_plan

__all__ = ["FileRefused", "ImportResult", "Scope", "import_roster"]


@dataclass
class ImportResult:
    plan: Plan
    written: bool

    @property
    def ok(self) -> bool:
        return self.plan.ok

    @property
    def problems(self) -> list[dict]:
        return self.plan.problems

    @property
    def summary(self) -> dict:
        return self.plan.summary()


def import_roster(
    path: str,
    *,
    scope: Scope,
    dry_run: bool = False,
    today: date | None = None,
    progress=None,
    on_written=None,
    close_missing: bool = False,
) -> ImportResult:
    """Validate the file and, unless ``dry_run`` or any problem, apply it atomically.

    Raises FileRefused for a file that cannot be read as a roster, also part-way through. With
    problems nothing is written. ``progress(rows_read)`` is called every few thousand rows while
    reading. ``on_written(result)`` runs inside the writing transaction, so whatever it records
    (an import job's "done") commits together with the data or not at all. ``close_missing``
    also closes the open roles of officers left out of the file at the units it covers.
    """
    today = today or timezone.localdate()
    roster = open_roster(path)
    try:
        if not roster.sheets:
            raise FileRefused(
                _("The file has no sheet with the template's column headers (“Đơn vị” or “Cán bộ”).")
            )
        if progress:
            progress(0, "reading", sum(sheet.total_rows for sheet in roster.sheets))
        plan = build_plan(roster, scope=scope, today=today, progress=progress, close_missing=close_missing)
    finally:
        if roster.close:
            roster.close()
    if plan.rows_read == 0 and plan.ok:
        raise FileRefused(_("The file has no rows to import."))
    if not plan.ok or dry_run:
        return ImportResult(plan=plan, written=False)
    if progress:
        progress(plan.rows_read, "writing")
    result = ImportResult(plan=plan, written=True)
    with transaction.atomic():
        apply_plan(plan)
        if on_written:
            on_written(result)
    return result
