"""Checks of the unit rows, once every unit row of the file is read: codes, parents, cycles,
scope, levels; then the units to create and to update.

Each check reports on the unit's row and column and marks the unit bad; an officer row naming a
bad unit is reported too (``unit_usable``), so one mistake is not written half-way.
"""

import re

from django.utils.translation import gettext as _

from ...models import UNIT_CODE_PATTERN, UnitLevel
from .. import layout
from ..matching import KnownUnit, RosterUnits
from ..messages import bad_unit_code, not_your_unit, unit_code_blocked
from ..plan import NewUnit, Plan, Scope, changed_columns
from ..rows import Sheet, UnitRow

UNIT_CODE_RE = re.compile(UNIT_CODE_PATTERN)
UPDATABLE = ("name", "level", "kind", "worker_count")


class UnitChecks:
    """The file's unit rows by code, checked against the roster and the uploader's scope."""

    def __init__(self, plan: Plan, roster: RosterUnits, scope: Scope):
        self.plan, self.roster, self.scope = plan, roster, scope
        self.rows: dict[str, UnitRow] = {}
        self.bad: set[str] = set()
        self.depth: dict[str, int] = {}  # a new unit's depth below its nearest existing ancestor
        self.anchor: dict[str, str | None] = {}  # ... and that ancestor's path

    # --------------------------------------------------------------- one row
    def code_usable(self, sheet: Sheet, number: int, code: str) -> bool:
        """A unit row's own code: present, well formed (for a new unit) and not repeated."""
        if not code:
            sheet.problem(number, "code", _("The unit code is empty."))
            return False
        if code not in self.roster and not UNIT_CODE_RE.match(code):
            sheet.problem(number, "code", bad_unit_code(code))
            return False
        if code in self.rows:
            sheet.problem(
                number,
                "code",
                _("Duplicate unit code %(code)s (already on row %(row)s).")
                % {"code": code, "row": self.rows[code].number},
            )
            return False
        return True

    def add(self, row: UnitRow, ok: bool) -> None:
        self.rows[row.code] = row
        if not ok:
            self.bad.add(row.code)

    def fail(self, row: UnitRow, name: str, message: str) -> None:
        row.problem(name, message)
        self.bad.add(row.code)

    # ------------------------------------------------------------ whole file
    def check(self) -> None:
        """Parents, cycles, scope and levels, once every unit row is known; then plan the changes."""
        new_codes = [code for code in self.rows if code not in self.roster]
        for row in self.rows.values():
            existing = self.roster.get(row.code)
            if not self._kind_fits(row, existing):
                continue
            if existing is not None:
                self._check_existing(row, existing)
            else:
                self._check_parent(row)
        self._mark_cycles(new_codes)
        for code in new_codes:
            self._anchor(code)
        self._plan_new_units(new_codes)
        self._plan_updates()

    def _kind_fits(self, row: UnitRow, existing: KnownUnit | None) -> bool:
        level = row.level or (existing.level if existing else None)
        if row.kind and level and level != UnitLevel.UPPER:
            self.fail(row, "kind", _("Only direct upper-level unions have a kind."))
            return False
        return True

    def _check_existing(self, row: UnitRow, existing: KnownUnit) -> None:
        parent_code = self.roster.parent_code(existing)
        if not self.scope.covers(existing.path):
            # For a manager, taken elsewhere reads like any code they may not use.
            self.fail(row, "code", unit_code_blocked())
        elif row.parent_code and row.parent_code != parent_code:
            self.fail(
                row,
                "parent_code",
                _("Unit %(code)s already belongs to %(parent)s; the import does not move units.")
                % {"code": row.code, "parent": parent_code or "—"},
            )
        elif row.level and row.level != existing.level:
            self._check_level_change(row, existing, parent_code)

    def _check_parent(self, row: UnitRow) -> None:
        """A new unit's parent: not itself, given (but for the city federation), known."""
        parent_code = row.parent_code
        if parent_code == row.code:
            self.fail(row, "parent_code", _("A unit cannot be its own parent."))
        elif not parent_code:
            if not (self.scope.everything and row.level == UnitLevel.CITY):
                self.fail(row, "parent_code", _("The parent unit code is empty."))
        elif parent_code not in self.roster and parent_code not in self.rows:
            self.fail(
                row,
                "parent_code",
                _("Unknown parent unit code %(code)s.") % {"code": parent_code}
                if self.scope.everything
                else not_your_unit(),
            )

    def _check_level_change(self, row: UnitRow, existing: KnownUnit, parent_code: str) -> None:
        """A unit's new level must stay below its parent's and above each of its children's."""
        rank = layout.LEVEL_RANK[row.level]
        parent_level = self.level_after(parent_code) if parent_code else None
        if parent_level and rank <= layout.LEVEL_RANK[parent_level]:
            self.fail(row, "level", _below(parent_level))
            return
        for child in self.roster.children(existing):
            child_level = self.level_after(child)
            if child_level and layout.LEVEL_RANK[child_level] <= rank:
                message = _(
                    "Unit %(code)s cannot become “%(level)s”: unit %(child)s under it is of level "
                    "“%(child_level)s”."
                ) % {
                    "code": row.code,
                    "level": layout.LEVEL_LABELS[row.level],
                    "child": child,
                    "child_level": layout.LEVEL_LABELS[child_level],
                }
                self.fail(row, "level", message)
                return

    def _mark_cycles(self, new_codes: list[str]) -> None:
        """Follow each new unit's parents until an existing unit, a root or a repeat; report cycles."""
        state: dict[str, int] = {}  # 1: on the chain being followed, 2: done
        for start in new_codes:
            chain, code = [], start
            while code in self.rows and code not in self.roster and code not in state:
                state[code] = 1
                chain.append(code)
                code = self.rows[code].parent_code
            if code in state and state[code] == 1 and code in chain:
                cycle = chain[chain.index(code) :]
                for member in cycle:
                    self.fail(
                        self.rows[member],
                        "parent_code",
                        _("The parent units form a cycle: %(cycle)s.")
                        % {"cycle": " → ".join(cycle + [code])},
                    )
            for member in chain:
                state[member] = 2

    def _anchor(self, code: str) -> None:
        """Record a new unit's depth below its nearest existing ancestor and that ancestor's path."""
        if code in self.depth:
            return
        self.depth[code], self.anchor[code] = 0, None
        parent = self.rows[code].parent_code
        if code in self.bad or not parent:
            return
        if parent in self.roster:
            self.depth[code], self.anchor[code] = 1, self.roster.get(parent).path
            return
        if parent not in self.rows:
            return
        self._anchor(parent)
        if parent in self.bad:
            self.bad.add(code)
            return
        self.depth[code], self.anchor[code] = self.depth[parent] + 1, self.anchor[parent]

    def _plan_new_units(self, new_codes: list[str]) -> None:
        """Scope and level order of the new units, parents first; the good ones are planned."""
        order = sorted((c for c in new_codes if c not in self.bad), key=lambda c: self.depth[c])
        for code in order:
            row, anchor = self.rows[code], self.anchor[code]
            if anchor is None and not self.scope.everything or anchor and not self.scope.covers(anchor):
                self.fail(row, "parent_code", not_your_unit())
                continue
            parent_level = self.level_after(row.parent_code)
            if parent_level and row.level and layout.LEVEL_RANK[row.level] <= layout.LEVEL_RANK[parent_level]:
                self.fail(row, "level", _below(parent_level))
                continue
            self.plan.new_units.append(
                NewUnit(
                    code=code,
                    parent_code=row.parent_code,
                    name=row.name,
                    level=row.level,
                    kind=row.kind or "",
                    worker_count=row.worker_count or 0,
                )
            )
            self.plan.sample("units_created", {"code": code, "name": row.name})

    def _plan_updates(self) -> None:
        """What the file changes in existing units; blank cells keep what the roster has."""
        plan = self.plan
        for code, row in self.rows.items():
            existing = self.roster.get(code)
            if existing is None or code in self.bad:
                continue
            changes = {}
            for name in UPDATABLE:
                value = getattr(row, name)
                if value not in (None, "") and value != getattr(existing, name):
                    changes[name] = value
            if not changes:
                plan.units_unchanged += 1
                continue
            plan.unit_updates[existing.id] = changes
            if plan.wants_sample("units_updated"):  # the before/after text only for the few shown
                old = {name: getattr(existing, name) for name in UPDATABLE}
                plan.sample(
                    "units_updated",
                    {
                        "code": code,
                        "name": row.name or existing.name,
                        "fields": sorted(changes),
                        "changes": changed_columns(layout.UNITS, changes, old),
                    },
                )

    # ------------------------------------------------------- for officer rows
    def level_after(self, code: str) -> str | None:
        """The unit's level once the file is applied: the file's, else the roster's."""
        row = self.rows.get(code)
        if row is not None and row.level and code not in self.bad:
            return row.level
        existing = self.roster.get(code)
        return existing.level if existing else None

    def unknown_unit(self, code: str) -> str:
        """An auditor is told the code is unknown; a manager gets what an out-of-scope code gets."""
        if self.scope.everything:
            return _("Unknown unit code %(code)s.") % {"code": code}
        return not_your_unit()

    def unit_usable(self, sheet: Sheet, number: int, code: str) -> bool:
        """An officer row's unit: existing inside the scope, or a unit row of the file without errors."""
        if not code:
            sheet.problem(number, "unit_code", _("The unit code is empty."))
            return False
        if code in self.roster and code not in self.rows:
            if not self.scope.covers(self.roster.get(code).path):
                sheet.problem(number, "unit_code", not_your_unit())
                return False
            return True
        row = self.rows.get(code)
        if row is None:
            sheet.problem(number, "unit_code", self.unknown_unit(code))
            return False
        if code in self.bad:
            sheet.problem(
                number,
                "unit_code",
                _("Unit %(code)s has errors on sheet “%(sheet)s”, row %(row)s.")
                % {"code": code, "sheet": row.sheet.title, "row": row.number},
            )
            return False
        return True


def _below(parent_level: str) -> str:
    return _("A unit of this level cannot be placed under a unit of level “%(parent)s”.") % {
        "parent": layout.LEVEL_LABELS[parent_level]
    }
