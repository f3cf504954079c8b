"""Validation of a whole roster file and the plan of changes it implies.

The pipeline: the sheets' rows are read into typed rows (rows.py), the unit rows checked
together (checks/units.py), the officer rows gathered into people (checks/people.py), the people
matched to existing officers (matching.py) and their roles planned (roles.py), into a Plan
(plan.py) that apply.py writes.

Nothing here writes to the database. Checks are set-based: a handful of queries load the units
and the officers the file mentions, then every row is checked in memory, so 100,000 rows cost
seconds, not 100,000 queries.
"""

from datetime import date

from django.conf import settings

from . import layout, values
from .checks.people import FilePeople
from .checks.units import UnitChecks
from .files import RosterFile
from .matching import OfficerMatcher, RosterUnits
from .plan import Plan, Scope
from .roles import close_absent, plan_roles
from .rows import (
    DEFAULT_PROGRESS_ROWS,
    OfficerRow,
    Person,
    Sheet,
    read_header,
    read_person,
    read_role,
    read_rows,
    read_unit,
)

__all__ = ["Person", "Planner", "build_plan"]


class Planner:
    """Check a roster file against the database and the uploader's scope; build the Plan."""

    def __init__(self, scope: Scope, today: date, progress=None, close_missing: bool = False):
        self.scope, self.today, self.progress = scope, today, progress
        self.close_missing = close_missing
        # How often a running job's progress is saved (each time is one UPDATE).
        self.progress_every = max(
            1, int(getattr(settings, "ROSTER_IMPORT_PROGRESS_ROWS", DEFAULT_PROGRESS_ROWS))
        )
        self.plan = Plan()
        self.roster = RosterUnits()
        self.units = UnitChecks(self.plan, self.roster, scope)
        self.people = FilePeople()
        # Matching reports on the last officer sheet read (its title and column letters).
        self.officer_sheet: Sheet | None = None

    def _rows(self, sheet):
        found = read_header(sheet, self.plan)
        if found is None:
            return found, ()
        return found, read_rows(sheet, found, self.progress, self.progress_every)

    def read_units(self, sheet) -> None:
        found, rows = self._rows(sheet)
        for number, cells in rows:
            code = values.unit_code(cells.get("code"))
            if self.units.code_usable(found, number, code):
                row, ok = read_unit(found, number, cells, code, new=code not in self.roster)
                self.units.add(row, ok)

    def check_units(self) -> None:
        self.units.check()

    def read_officers(self, sheet) -> None:
        found, rows = self._rows(sheet)
        if found is None:
            return
        for number, cells in rows:
            row = self._read_officer(found, number, cells)
            if row is not None:
                self.people.add(row)
        self.officer_sheet = found

    def _read_officer(self, found: Sheet, number: int, cells: dict) -> OfficerRow | None:
        """The row as typed, or None when a cell is wrong (every wrong cell is reported)."""
        code, details, person_ok = read_person(found, number, cells, self.today)
        unit_code = values.unit_code(cells.get("unit_code"))
        unit_ok = self.units.unit_usable(found, number, unit_code)
        role, role_ok = read_role(found, number, cells, unit_code, self.today)
        if not (person_ok and unit_ok and role_ok):
            return None
        return OfficerRow(
            sheet=found, number=number, code=code, details=details, unit_code=unit_code, role=role
        )

    def match_officers(self) -> None:
        people = list(self.people.people.values())
        if people:
            OfficerMatcher(self.plan, self.scope, self.officer_sheet).match(people)

    def plan_roles(self) -> None:
        people = list(self.people.people.values())
        plan_roles(self.plan, people, scope=self.scope, today=self.today)
        if self.close_missing:
            self._close_absent(people)

    def _close_absent(self, people: list[Person]) -> None:
        close_absent(self.plan, people, self.roster, scope=self.scope, today=self.today)


def build_plan(
    roster: RosterFile, *, scope: Scope, today: date, progress=None, close_missing: bool = False
) -> Plan:
    """Validate every row of ``roster`` and return the changes it implies. Never writes.

    With ``close_missing`` the open roles of officers absent from the file, at the units its
    officer rows name, are closed too (see roles.close_absent).
    """
    planner = Planner(scope, today, progress, close_missing=close_missing)
    units = [s for s in roster.sheets if s.kind == layout.UNITS]
    officers = [s for s in roster.sheets if s.kind == layout.OFFICERS]
    for sheet in units:
        planner.read_units(sheet)
    planner.check_units()
    for sheet in officers:
        planner.read_officers(sheet)
    planner.match_officers()
    if planner.plan.ok:
        planner.plan_roles()
    return planner.plan
