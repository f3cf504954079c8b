"""The plan of changes a checked roster file implies: what apply.py writes and the preview shows.

Nothing here reads the file or the database; planner.py fills a Plan, apply.py writes it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from . import layout
from .rows import Person, RoleRow

if TYPE_CHECKING:
    from .matching import KnownOfficer

SAMPLE = 20  # items of each kind shown in the preview
MAX_PROBLEMS = 5000  # problems kept for display; all are counted


@dataclass
class Scope:
    """The subtrees an uploader may change; ``everything`` for auditors and the command line."""

    everything: bool = False
    paths: tuple[str, ...] = ()

    @classmethod
    def for_user(cls, user) -> "Scope":
        from ..scope import is_auditor, managed_unit_paths

        if user is None or is_auditor(user):
            return cls(everything=True)
        return cls(paths=tuple(managed_unit_paths(user)))

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class NewUnit:
    code: str
    parent_code: str  # empty for a new root (the city federation)
    name: str
    level: str
    kind: str
    worker_count: int


@dataclass(frozen=True)
class OfficerUpdate:
    person: Person
    changes: dict  # field name -> value in the file ("unit_code" for a move)


@dataclass(frozen=True)
class RoleToOpen:
    person: Person  # its officer_id is known once apply.py has written new officers
    role: RoleRow


class RoleClosing(NamedTuple):
    """An open assignment to end; the (id, date) pair services.close_roles takes."""

    assignment_id: int
    end: date


@dataclass
class Plan:
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    rows_read: int = 0
    new_units: list[NewUnit] = field(default_factory=list)  # parents first
    unit_updates: dict[int, dict] = field(default_factory=dict)  # unit id -> {field: value}
    units_unchanged: int = 0
    new_people: list[Person] = field(default_factory=list)
    officer_updates: dict[int, OfficerUpdate] = field(default_factory=dict)  # by officer id
    officers_unchanged: int = 0
    roles_to_open: list[RoleToOpen] = field(default_factory=list)
    roles_to_close: list[RoleClosing] = field(default_factory=list)
    roles_closed_absent: int = 0  # of roles_to_close: officers left out of the file (close_missing)
    roles_unchanged: int = 0
    existing_officers: dict[int, "KnownOfficer"] = field(default_factory=dict)  # of officer_updates
    samples: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add_problem(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"sheet": sheet, "row": row, "column": column, "message": message})

    def wants_sample(self, name: str) -> bool:
        return len(self.samples[name]) < SAMPLE

    def sample(self, name: str, item: dict) -> None:
        if self.wants_sample(name):
            self.samples[name].append(item)

    def summary(self) -> dict:
        return {
            "rows": self.rows_read,
            "units_created": len(self.new_units),
            "units_updated": len(self.unit_updates),
            "units_unchanged": self.units_unchanged,
            "officers_created": len(self.new_people),
            "officers_updated": len(self.officer_updates),
            "officers_unchanged": self.officers_unchanged,
            "roles_opened": len(self.roles_to_open),
            "roles_closed": len(self.roles_to_close),
            "roles_closed_absent": self.roles_closed_absent,
            "roles_unchanged": self.roles_unchanged,
            "samples": dict(self.samples),
        }


def changed_columns(kind: str, changes: dict, old: dict) -> list[tuple[str, str, str]]:
    """(column header, value now, value in the file) for each changed field, in the sheet's column order.

    Shown in the preview so the uploader sees what a re-import will overwrite; kept as text
    because the plan's summary is stored as JSON.
    """
    return [
        (
            column.header,
            layout.display(column.field, old.get(column.field)),
            layout.display(column.field, changes[column.field]),
        )
        for column in layout.COLUMNS[kind]
        if column.field in changes
    ]
