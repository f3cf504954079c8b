"""Validation of a whole roster file and the plan of changes it implies.

Nothing here writes to the database. Checks are set-based: a handful of
queries load the units and the officers the file mentions, then every row is
checked in memory, so 100,000 rows cost seconds, not 100,000 queries.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ..models import UNIT_CODE_PATTERN, Officer, Role, RoleAssignment, Unit, UnitLevel
from ..names import split_full_name
from . import layout, values
from .files import RosterFile

CHUNK = 900  # stays under SQLite's bound-parameter limit
DEFAULT_PROGRESS_ROWS = 5000
SAMPLE = 20
MAX_PROBLEMS = 5000
PERSON_FIELDS = ("family_name", "middle_name", "given_name", "date_of_birth", "gender", "phone", "email")


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


@dataclass
class Person:
    row: int
    key: tuple
    code: str
    data: dict
    unit_code: str
    roles: list = field(default_factory=list)  # (row, role, unit_code, start, end)
    officer_id: int | None = None


@dataclass
class Plan:
    problems: list = field(default_factory=list)
    problem_count: int = 0
    rows_read: int = 0
    new_units: list = field(default_factory=list)  # dicts, parents first
    unit_updates: dict = field(default_factory=dict)  # unit id -> {field: value}
    units_unchanged: int = 0
    new_people: list = field(default_factory=list)  # Person
    officer_updates: dict = field(default_factory=dict)  # officer id -> (Person, {field: value})
    officers_unchanged: int = 0
    roles_to_open: list = field(default_factory=list)  # (Person, role, unit_code, start, end)
    roles_to_close: list = field(default_factory=list)  # (assignment id, end date)
    roles_closed_absent: int = 0  # of roles_to_close: officers left out of the file (close_missing)
    roles_unchanged: int = 0
    existing_officers: dict = field(default_factory=dict)
    samples: dict = field(default_factory=lambda: defaultdict(list))

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


UNIT_CODE_RE = re.compile(UNIT_CODE_PATTERN)


def bad_unit_code(code: str) -> str:
    return _(
        "“%(code)s” is not a valid unit code: write 1 to 20 characters, letters A–Z without accents, "
        "digits and dashes (-)."
    ) % {"code": code[:40]}


def not_your_code() -> str:
    return _(
        "No officer of your units has this officer code. For a new officer leave the code empty: "
        "officer codes are given by the Propaganda and Education Department."
    )


def email_blocked() -> str:
    return _(
        "This e-mail address cannot be used for an officer of your units. If it is right, "
        "ask the Propaganda and Education Department."
    )


def not_your_unit() -> str:
    return _("This unit code is not one of your units.")


def unit_code_blocked() -> str:
    return _(
        "This unit code cannot be used for a new unit of yours. If it is right, "
        "ask the Propaganda and Education Department."
    )


OFFICER_FIELDS = ("id", "code", *PERSON_FIELDS, "unit_id", "unit__path", "unit__code")


@dataclass
class _Known:
    """The officers a file's codes, e-mails and phones name, as far as the uploader may see them.

    The queries depend on the file only, never on who exists: one per 900 codes, e-mails and
    phones (and, for a manager, one per 900 e-mails to the user accounts). For a manager the
    officers outside their units are left out; their e-mails, and those of accounts that are
    not an officer of the manager's, go to ``blocked_emails``.
    """

    by_code: dict = field(default_factory=dict)
    by_email: dict = field(default_factory=lambda: defaultdict(list))
    by_phone: dict = field(default_factory=lambda: defaultdict(list))
    blocked_emails: set = field(default_factory=set)

    @classmethod
    def load(cls, people, scope: Scope) -> "_Known":
        people = list(people)
        known = cls()
        codes = [p.code for p in people if p.code]
        emails = [p.data["email"] for p in people if p.data["email"]]
        phones = [p.data["phone"] for p in people if not p.code and not p.data["email"]]
        for name, wanted in (("code", codes), ("email", emails), ("phone", phones)):
            for chunk in _chunks(wanted):
                for row in Officer.objects.filter(**{f"{name}__in": chunk}).values(*OFFICER_FIELDS):
                    known.add(name, row, scope)
        if not scope.everything:
            known.block_accounts(emails, scope)
        return known

    def add(self, name: str, row: dict, scope: Scope) -> None:
        if not scope.covers(row["unit__path"]):
            if name == "email":
                self.blocked_emails.add(row["email"])
            return
        if name == "code":
            self.by_code[row["code"]] = row
        elif name == "email":
            self.by_email[row["email"]].append(row)
        else:
            self.by_phone[row["phone"]].append(row)

    def block_accounts(self, emails: list, scope: Scope) -> None:
        """E-mails of sign-in accounts that are not an officer of the scope's (staff, elsewhere)."""
        from django.contrib.auth import get_user_model
        from django.db.models.functions import Lower

        users = get_user_model().objects.annotate(address=Lower("email"))
        for chunk in _chunks(emails):
            rows = users.filter(address__in=chunk).values_list("address", "officer__unit__path")
            for address, path in rows:
                if path is None or not scope.covers(path):
                    self.blocked_emails.add(address)


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class _SheetReader:
    """Maps a sheet's header to fields; reports header problems; reads cells by field."""

    def __init__(self, plan: Plan, sheet):
        self.plan, self.sheet, self.title = plan, sheet, sheet.title
        self.index: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.ok = True
        lookup = layout.HEADER_LOOKUP[sheet.kind]
        for ref in sheet.merged_header:
            self.problem(
                1, ref, _("Header cells are merged; unmerge them so each column has its own header.")
            )
        for position, header in enumerate(sheet.headers):
            letter = get_column_letter((sheet.columns[position] if sheet.columns else position) + 1)
            if header is None or str(header).strip() == "":
                continue
            column = lookup.get(layout.plain(header))
            if column is None:
                self.problem(1, f"{letter} ({values.text(header)})", _("Unknown column header."))
                continue
            if column.field in self.index:
                self.problem(1, f"{letter} ({values.text(header)})", _("This column appears twice."))
                continue
            self.index[column.field] = position
            self.labels[column.field] = f"{letter} ({values.text(header)})"
        for column in layout.COLUMNS[sheet.kind]:
            if column.required and column.field not in self.index:
                self.problem(
                    1,
                    column.header,
                    _("Required column “%(header)s” is missing.") % {"header": column.header},
                )
        if sheet.kind == layout.OFFICERS and not ({"given_name", "full_name"} & self.index.keys()):
            self.problem(
                1,
                "Tên / Họ và tên",
                _("The sheet needs a “Họ và tên” column or the “Họ”, “Tên đệm”, “Tên” columns."),
            )

    def problem(self, row, column, message):
        self.ok = False
        self.plan.add_problem(self.title, row, column, message)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def rows(self, progress, every: int = DEFAULT_PROGRESS_ROWS):
        index = self.index
        for number, row in self.sheet.rows:
            if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            self.plan.rows_read += 1
            if progress and self.plan.rows_read % every == 0:
                progress(self.plan.rows_read)
            cells = {name: (row[i] if i < len(row) else None) for name, i in index.items()}
            has_formula = False
            for name, value in cells.items():
                if isinstance(value, str) and value.startswith("="):
                    self.problem(
                        number, self.label(name), _("The cell holds a formula; paste its value instead.")
                    )
                    has_formula = True
            if has_formula:
                continue
            yield number, cells


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
        rows = Unit.objects.values_list(
            "id", "code", "path", "depth", "level", "name", "kind", "worker_count"
        )
        self.db_units = {r[1]: r for r in rows}
        self.code_by_path = {r[2]: r[1] for r in self.db_units.values()}
        self.file_units: dict[str, dict] = {}
        self._children: dict[str, list[str]] | None = None  # parent path -> child codes, when needed

    # ------------------------------------------------------------------ units
    def read_units(self, sheet) -> None:
        reader = _SheetReader(self.plan, sheet)
        if not reader.ok:
            return
        for number, cells in reader.rows(self.progress, self.progress_every):
            self._read_unit(reader, number, cells)

    def _read_unit(self, reader, number, cells) -> None:
        code = values.unit_code(cells.get("code"))
        if not code:
            reader.problem(number, reader.label("code"), _("The unit code is empty."))
            return
        if code not in self.db_units and not UNIT_CODE_RE.match(code):
            reader.problem(number, reader.label("code"), bad_unit_code(code))
            return
        if code in self.file_units:
            reader.problem(
                number,
                reader.label("code"),
                _("Duplicate unit code %(code)s (already on row %(row)s).")
                % {"code": code, "row": self.file_units[code]["row"]},
            )
            return
        existing = self.db_units.get(code)
        unit = {"row": number, "sheet": reader.title, "code": code, "bad": False, "reader": reader}
        unit["parent_code"] = values.unit_code(cells.get("parent_code"))
        unit["name"] = values.text(cells.get("name"))[:255]
        if not unit["name"] and existing is None:
            reader.problem(number, reader.label("name"), _("The unit name is empty."))
            unit["bad"] = True
        raw_level = values.text(cells.get("level"))
        unit["level"] = layout.LEVEL_VALUES.get(layout.plain(raw_level)) if raw_level else None
        if raw_level and unit["level"] is None:
            reader.problem(
                number,
                reader.label("level"),
                _("Unknown level “%(value)s”; write one of: %(choices)s.")
                % {"value": raw_level, "choices": ", ".join(layout.LEVEL_LABELS.values())},
            )
            unit["bad"] = True
        elif not raw_level and existing is None:
            reader.problem(number, reader.label("level"), _("The level is empty."))
            unit["bad"] = True
        raw_kind = values.text(cells.get("kind"))
        unit["kind"] = layout.KIND_VALUES.get(layout.plain(raw_kind)) if raw_kind else None
        if raw_kind and unit["kind"] is None:
            reader.problem(
                number,
                reader.label("kind"),
                _("Unknown kind “%(value)s”; write one of: %(choices)s.")
                % {"value": raw_kind, "choices": ", ".join(layout.KIND_LABELS.values())},
            )
            unit["bad"] = True
        raw_count = cells.get("worker_count")
        unit["worker_count"] = None
        if raw_count not in (None, ""):
            try:
                unit["worker_count"] = values.parse_count(raw_count)
            except ValueError as error:
                reader.problem(number, reader.label("worker_count"), str(error))
                unit["bad"] = True
        self.file_units[code] = unit

    def check_units(self) -> None:
        """Parents, cycles, scope and levels, once every unit row is known."""
        plan = self.plan
        new_codes = [c for c in self.file_units if c not in self.db_units]
        for code, unit in self.file_units.items():
            reader, number = unit["reader"], unit["row"]
            existing = self.db_units.get(code)
            parent_code = unit["parent_code"]
            column = reader.label("parent_code")
            level = unit["level"] or (existing[4] if existing else None)
            if unit["kind"] and level and level != UnitLevel.UPPER:
                reader.problem(number, reader.label("kind"), _("Only direct upper-level unions have a kind."))
                unit["bad"] = True
                continue
            if existing is not None:
                path = existing[2]
                db_parent = self.code_by_path.get(path[:-4]) if existing[3] > 1 else ""
                if not self.scope.covers(path):
                    # For a manager, taken elsewhere reads like any code they may not use.
                    reader.problem(number, reader.label("code"), unit_code_blocked())
                    unit["bad"] = True
                elif parent_code and parent_code != db_parent:
                    reader.problem(
                        number,
                        column,
                        _("Unit %(code)s already belongs to %(parent)s; the import does not move units.")
                        % {"code": code, "parent": db_parent or "—"},
                    )
                    unit["bad"] = True
                elif unit["level"] and unit["level"] != existing[4]:
                    self._check_level_change(unit, existing, db_parent)
                continue
            if parent_code == code:
                reader.problem(number, column, _("A unit cannot be its own parent."))
                unit["bad"] = True
            elif not parent_code:
                if not (self.scope.everything and unit["level"] == UnitLevel.CITY):
                    reader.problem(number, column, _("The parent unit code is empty."))
                    unit["bad"] = True
            elif parent_code not in self.db_units and parent_code not in self.file_units:
                reader.problem(
                    number,
                    column,
                    _("Unknown parent unit code %(code)s.") % {"code": parent_code}
                    if self.scope.everything
                    else not_your_unit(),
                )
                unit["bad"] = True
        # Cycles among new units: follow parents until an existing unit, a root or a repeat.
        state: dict[str, int] = {}
        for start in new_codes:
            chain, code = [], start
            while code in self.file_units and code not in self.db_units and code not in state:
                state[code] = 1
                chain.append(code)
                code = self.file_units[code]["parent_code"]
            if code in state and state[code] == 1 and code in chain:
                for member in chain[chain.index(code) :]:
                    unit = self.file_units[member]
                    unit["reader"].problem(
                        unit["row"],
                        unit["reader"].label("parent_code"),
                        _("The parent units form a cycle: %(cycle)s.")
                        % {"cycle": " → ".join(chain[chain.index(code) :] + [code])},
                    )
                    unit["bad"] = True
            for member in chain:
                state[member] = 2
        # Depth, scope and level order of new units, parents first.
        for code in new_codes:
            self._anchor(code)
        order = sorted(
            (c for c in new_codes if not self.file_units[c]["bad"]), key=lambda c: self.file_units[c]["depth"]
        )
        for code in order:
            unit = self.file_units[code]
            reader = unit["reader"]
            anchor = unit["anchor"]
            if anchor is None and not self.scope.everything or anchor and not self.scope.covers(anchor):
                reader.problem(unit["row"], reader.label("parent_code"), not_your_unit())
                unit["bad"] = True
                continue
            parent_level = self._level(unit["parent_code"])
            if (
                parent_level
                and unit["level"]
                and layout.LEVEL_RANK[unit["level"]] <= layout.LEVEL_RANK[parent_level]
            ):
                reader.problem(
                    unit["row"],
                    reader.label("level"),
                    _("A unit of this level cannot be placed under a unit of level “%(parent)s”.")
                    % {"parent": layout.LEVEL_LABELS[parent_level]},
                )
                unit["bad"] = True
                continue
            plan.new_units.append(
                {
                    "code": code,
                    "parent_code": unit["parent_code"],
                    "name": unit["name"],
                    "level": unit["level"],
                    "kind": unit["kind"] or "",
                    "worker_count": unit["worker_count"] or 0,
                }
            )
            plan.sample("units_created", {"code": code, "name": unit["name"]})
        for code, unit in self.file_units.items():
            existing = self.db_units.get(code)
            if existing is None or unit["bad"]:
                continue
            changes = {}
            for name, position in (("name", 5), ("level", 4), ("kind", 6), ("worker_count", 7)):
                if unit[name] not in (None, "") and unit[name] != existing[position]:
                    changes[name] = unit[name]
            if changes:
                plan.unit_updates[existing[0]] = changes
                if plan.wants_sample("units_updated"):  # the before/after text only for the few shown
                    old = dict(zip(("level", "name", "kind", "worker_count"), existing[4:8], strict=True))
                    plan.sample(
                        "units_updated",
                        {
                            "code": code,
                            "name": unit["name"] or existing[5],
                            "fields": sorted(changes),
                            "changes": _changes(layout.UNITS, changes, old),
                        },
                    )
            else:
                plan.units_unchanged += 1

    def _check_level_change(self, unit: dict, existing: tuple, parent_code: str) -> None:
        """A unit's new level must stay below its parent's and above each of its children's."""
        reader, level = unit["reader"], unit["level"]
        rank = layout.LEVEL_RANK[level]
        parent_level = self._level(parent_code) if parent_code else None
        if parent_level and rank <= layout.LEVEL_RANK[parent_level]:
            reader.problem(
                unit["row"],
                reader.label("level"),
                _("A unit of this level cannot be placed under a unit of level “%(parent)s”.")
                % {"parent": layout.LEVEL_LABELS[parent_level]},
            )
            unit["bad"] = True
            return
        if self._children is None:
            self._children = defaultdict(list)
            for code, row in self.db_units.items():
                if row[3] > 1:
                    self._children[row[2][: -Unit.steplen]].append(code)
        for child in sorted(self._children.get(existing[2], ())):
            child_level = self._level(child)
            if child_level and layout.LEVEL_RANK[child_level] <= rank:
                reader.problem(
                    unit["row"],
                    reader.label("level"),
                    _(
                        "Unit %(code)s cannot become “%(level)s”: unit %(child)s under it is of level "
                        "“%(child_level)s”."
                    )
                    % {
                        "code": unit["code"],
                        "level": layout.LEVEL_LABELS[level],
                        "child": child,
                        "child_level": layout.LEVEL_LABELS[child_level],
                    },
                )
                unit["bad"] = True
                return

    def _anchor(self, code: str) -> None:
        """Record a new unit's depth below its nearest existing ancestor and that ancestor's path."""
        unit = self.file_units[code]
        if "depth" in unit:
            return
        unit["depth"], unit["anchor"] = 0, None
        if unit["bad"]:
            return
        parent = unit["parent_code"]
        if not parent:
            return
        if parent in self.db_units:
            unit["depth"], unit["anchor"] = 1, self.db_units[parent][2]
            return
        parent_unit = self.file_units.get(parent)
        if parent_unit is None:
            return
        self._anchor(parent)
        if parent_unit["bad"]:
            unit["bad"] = True
            return
        unit["depth"], unit["anchor"] = parent_unit["depth"] + 1, parent_unit["anchor"]

    def _level(self, code: str):
        """The unit's level once the file is applied: the file's, else the roster's."""
        if code in self.file_units and self.file_units[code]["level"] and not self.file_units[code]["bad"]:
            return self.file_units[code]["level"]
        if code in self.db_units:
            return self.db_units[code][4]
        return None

    def _unknown_unit(self, code: str) -> str:
        """An auditor is told the code is unknown; a manager gets what an out-of-scope code gets."""
        if self.scope.everything:
            return _("Unknown unit code %(code)s.") % {"code": code}
        return not_your_unit()

    def _unit_usable(self, reader, number, code: str) -> bool:
        column = reader.label("unit_code")
        if not code:
            reader.problem(number, column, _("The unit code is empty."))
            return False
        if code in self.db_units and code not in self.file_units:
            if not self.scope.covers(self.db_units[code][2]):
                reader.problem(number, column, not_your_unit())
                return False
            return True
        unit = self.file_units.get(code)
        if unit is None:
            reader.problem(number, column, self._unknown_unit(code))
            return False
        if unit["bad"]:
            reader.problem(
                number,
                column,
                _("Unit %(code)s has errors on sheet “%(sheet)s”, row %(row)s.")
                % {"code": code, "sheet": unit["sheet"], "row": unit["row"]},
            )
            return False
        return True

    # ----------------------------------------------------------------- officers
    def read_officers(self, sheet) -> None:
        reader = _SheetReader(self.plan, sheet)
        if not reader.ok:
            return
        self.people: dict[tuple, Person] = getattr(self, "people", {})
        self.email_owner: dict[str, tuple] = getattr(self, "email_owner", {})
        self.phone_owner: dict[str, tuple] = getattr(self, "phone_owner", {})
        self.birth_owner: dict[tuple, tuple] = getattr(self, "birth_owner", {})
        for number, cells in reader.rows(self.progress, self.progress_every):
            self._read_officer(reader, number, cells)
        self.officer_reader = reader

    def _read_officer(self, reader, number, cells) -> None:
        bad = False

        def fail(name, message):
            nonlocal bad
            bad = True
            reader.problem(number, reader.label(name), message)

        code = values.text(cells.get("code"))
        if len(code) > 32:
            fail("code", _("The code is longer than 32 characters."))
        full = values.text(cells.get("full_name"))
        given = values.text(cells.get("given_name"))
        if given:
            family, middle = values.text(cells.get("family_name")), values.text(cells.get("middle_name"))
        else:
            family, middle, given = split_full_name(full)
        if not given:
            fail("full_name" if "full_name" in reader.index else "given_name", _("The name is empty."))
        if max(len(family), len(middle), len(given)) > 64:
            fail("full_name" if full else "given_name", _("The name is too long."))
        data = {"family_name": family, "middle_name": middle, "given_name": given}
        try:
            dob = values.parse_date(cells.get("date_of_birth"))
            if dob and not (date(1900, 1, 1) <= dob <= self.today):
                raise ValueError(
                    _("The date of birth %(date)s is impossible.") % {"date": dob.strftime("%d/%m/%Y")}
                )
            data["date_of_birth"] = dob
        except ValueError as error:
            fail("date_of_birth", str(error))
        raw_gender = values.text(cells.get("gender"))
        data["gender"] = layout.GENDER_VALUES.get(layout.plain(raw_gender), None) if raw_gender else ""
        if data["gender"] is None:
            fail("gender", _("Unknown gender “%(value)s”; write Nam, Nữ or Khác.") % {"value": raw_gender})
        for name, parser in (("phone", values.parse_phone), ("email", values.parse_email)):
            try:
                data[name] = parser(cells.get(name))
            except ValueError as error:
                fail(name, str(error))
        unit_code = values.unit_code(cells.get("unit_code"))
        if not self._unit_usable(reader, number, unit_code):
            bad = True
        raw_role = values.text(cells.get("role"))
        role = start = end = None
        if raw_role:
            role = layout.ROLE_VALUES.get(layout.plain(raw_role))
            if role is None:
                fail(
                    "role",
                    _("Unknown role “%(value)s”; write one of: %(choices)s.")
                    % {"value": raw_role, "choices": ", ".join(layout.ROLE_LABELS.values())},
                )
            try:
                start = values.parse_date(cells.get("start_date")) or self.today
                if start.year < 1945:
                    raise ValueError(
                        _("The date %(date)s is impossible.") % {"date": start.strftime("%d/%m/%Y")}
                    )
            except ValueError as error:
                fail("start_date", str(error))
            try:
                end = values.parse_date(cells.get("end_date"))
                if end and start and end < start:
                    raise ValueError(_("The end date is before the start date."))
            except ValueError as error:
                fail("end_date", str(error))
        if bad:
            return
        key = ("code", code) if code else ("email", data["email"]) if data["email"] else None
        if key is None and data["phone"]:
            key = ("phone", data["phone"])
        if key is None:
            fail("code", _("The row needs an officer code, an e-mail address or a phone number."))
            return
        person = self.people.get(key)
        if person is None:
            person = Person(row=number, key=key, code=code, data=data, unit_code=unit_code)
            self.people[key] = person
        else:
            for name in PERSON_FIELDS:
                mine, theirs = data.get(name), person.data.get(name)
                if mine and theirs and mine != theirs:
                    fail(
                        name
                        if name in reader.index
                        else ("full_name" if "full_name" in reader.index else "given_name"),
                        _("Duplicate person: row %(row)s has the same officer but a different value here.")
                        % {"row": person.row},
                    )
                    return
                if mine and not theirs:
                    person.data[name] = mine
        email = data["email"]
        if email:
            owner = self.email_owner.get(email)
            if owner is None:
                self.email_owner[email] = (key, number)
            elif owner[0] != key:
                fail(
                    "email",
                    _("Duplicate person: the e-mail %(email)s is also on row %(row)s for another officer.")
                    % {"email": email, "row": owner[1]},
                )
                return
        phone = data["phone"]
        if phone:
            owner = self.phone_owner.setdefault(phone, (key, number, data))
            if owner[0] != key:
                fail(
                    "phone",
                    _(
                        "Duplicate person: the phone number %(phone)s is also on row %(row)s "
                        "for another officer."
                    )
                    % {"phone": phone, "row": owner[1]},
                )
                return
        if data.get("date_of_birth"):
            name = unicodedata.normalize("NFC", " ".join(_full(data).split())).casefold()
            owner = self.birth_owner.setdefault((name, data["date_of_birth"]), (key, number, data))
            if owner[0] != key and not _told_apart(data, owner[2]):
                fail(
                    "full_name" if "full_name" in reader.index else "given_name",
                    _(
                        "Duplicate person: %(name)s, born %(date)s, is also on row %(row)s under another "
                        "officer code. If they are two people, give each their own e-mail or phone number."
                    )
                    % {
                        "name": _full(data),
                        "date": data["date_of_birth"].strftime("%d/%m/%Y"),
                        "row": owner[1],
                    },
                )
                return
        if role:
            for other in person.roles:
                if other[1] == role and other[2] == unit_code and other[3] == start and other[4] == end:
                    fail("role", _("Duplicate role: the same role is on row %(row)s.") % {"row": other[0]})
                    return
            person.roles.append((number, role, unit_code, start, end))

    def match_officers(self) -> None:
        """Find each person's existing officer (by code, else e-mail, else phone) and plan changes.

        For a manager only officers of their own units are matched: an identifier held outside
        them gets the same answer as one nobody holds (not_your_code, email_blocked), built from
        the same queries, so the import tells nobody who exists elsewhere (docs/roster-import.md).
        """
        people = getattr(self, "people", {})
        if not people:
            return
        plan, reader = self.plan, self.officer_reader
        known = _Known.load(people.values(), self.scope)
        matched = {}
        for person in people.values():
            existing = self._existing(person, known)
            if existing is False:
                continue
            if self._email_taken(person, existing, known):
                continue
            if existing is None:
                plan.new_people.append(person)
                plan.sample(
                    "officers_created",
                    {"code": person.code, "name": _full(person.data), "unit": person.unit_code},
                )
                continue
            if existing["id"] in matched:
                reader.problem(
                    person.row,
                    reader.label("code"),
                    _("Duplicate person: row %(row)s is the same officer.")
                    % {"row": matched[existing["id"]].row},
                )
                continue
            matched[existing["id"]] = person
            if not self.scope.covers(existing["unit__path"]):  # auditors only reach here
                continue
            self._plan_update(person, existing)

    def _existing(self, person, known):
        """The officer row the person matches, None for a new officer, False after a problem."""
        reader, email = self.officer_reader, person.data["email"]
        if person.code:
            existing = known.by_code.get(person.code)
            if existing is None and not self.scope.everything:
                # Officer codes are the department's: a manager names officers of their units only.
                reader.problem(person.row, reader.label("code"), not_your_code())
                return False
            if existing is None and email:
                # An officer imported earlier without a code gets the code now.
                uncoded = [r for r in known.by_email.get(email, []) if not r["code"]]
                existing = uncoded[0] if len(uncoded) == 1 else None
            return existing
        if email:
            candidates = known.by_email.get(email, [])
            return candidates[0] if len(candidates) == 1 else None
        candidates = known.by_phone.get(person.data["phone"], [])
        if len(candidates) > 1:
            reader.problem(
                person.row,
                reader.label("phone"),
                _("Several officers have this phone number; add the officer code."),
            )
            return False
        return candidates[0] if candidates else None

    def _email_taken(self, person, existing, known) -> bool:
        """Whether the person's e-mail belongs to someone else (reported on the row)."""
        reader, email = self.officer_reader, person.data["email"]
        if not email:
            return False
        if email in known.blocked_emails:
            reader.problem(person.row, reader.label("email"), email_blocked())
            return True
        mine = existing["id"] if existing else None
        others = [r for r in known.by_email.get(email, []) if r["id"] != mine]
        if not others:
            return False
        reader.problem(
            person.row,
            reader.label("email"),
            _("Duplicate person: the e-mail %(email)s already belongs to officer %(other)s.")
            % {
                "email": email,
                "other": others[0]["code"] or others[0]["family_name"] + " " + others[0]["given_name"],
            },
        )
        return True

    def _plan_update(self, person, existing) -> None:
        plan = self.plan
        person.officer_id = existing["id"]
        plan.existing_officers[existing["id"]] = existing
        changes = {}
        for name in PERSON_FIELDS:
            value = person.data.get(name)
            if name in ("family_name", "middle_name", "given_name"):
                if value != existing[name]:
                    changes[name] = value
            elif value not in (None, "") and value != existing[name]:
                changes[name] = value
        if person.code and person.code != existing["code"]:
            changes["code"] = person.code
        if person.unit_code != existing["unit__code"]:
            changes["unit_code"] = person.unit_code
        if not changes:
            plan.officers_unchanged += 1
            return
        plan.officer_updates[existing["id"]] = (person, changes)
        if plan.wants_sample("officers_updated"):
            plan.sample(
                "officers_updated",
                {
                    "code": person.code or existing["code"],
                    "name": _full(person.data),
                    "fields": sorted(changes),
                    "changes": _changes(
                        layout.OFFICERS, changes, {**existing, "unit_code": existing["unit__code"]}
                    ),
                },
            )

    def plan_roles(self) -> None:
        """Roles in the file are opened (or recorded closed); open roles missing from it are closed.

        Closing by omission happens only for a person whose rows name at least one role: a sheet
        without a role column, or a person's rows with the role left blank, record the person only
        and leave every role they hold as it is. The unit-manager role is never closed by omission
        (it grants access to the roster, so a training sheet that forgets it must not lock the
        manager out); a row naming it with an end date closes it explicitly.
        """
        plan = self.plan
        people = list(getattr(self, "people", {}).values())
        existing_by_officer = defaultdict(list)
        ids = [p.officer_id for p in people if p.officer_id]
        for chunk in _chunks(ids):
            for row in RoleAssignment.objects.filter(officer_id__in=chunk).values_list(
                "id", "officer_id", "role", "unit__code", "unit__path", "start_date", "end_date"
            ):
                existing_by_officer[row[1]].append(row)
        new_ids = {id(p) for p in plan.new_people}
        for person in people:
            if person.officer_id is None and id(person) not in new_ids:
                continue  # the person had an error
            current = existing_by_officer.get(person.officer_id, [])
            open_rows = {(r[2], r[3]): r for r in current if r[6] is None}
            closed = {(r[2], r[3], r[5], r[6]) for r in current if r[6] is not None}
            kept = set()
            for _row, role, unit_code, start, end in person.roles:
                key = (role, unit_code)
                if end is None:
                    if key in open_rows:
                        kept.add(key)
                        plan.roles_unchanged += 1
                    else:
                        self._open(person, role, unit_code, start, None)
                elif key in open_rows and open_rows[key][5] <= end:
                    kept.add(key)
                    plan.roles_to_close.append((open_rows[key][0], end))
                    self._closed_sample(person, role, unit_code, end)
                elif (role, unit_code, start, end) in closed:
                    plan.roles_unchanged += 1
                else:
                    self._open(person, role, unit_code, start, end)
            if not person.roles:
                continue  # the person only: their roles stay as they are
            for key, row in open_rows.items():
                if key in kept or key[0] == Role.UNIT_MANAGER or not self.scope.covers(row[4]):
                    continue
                end = max(self.today, row[5])
                plan.roles_to_close.append((row[0], end))
                self._closed_sample(person, key[0], key[1], end)

        if self.close_missing:
            self._close_absent(people)

    def _close_absent(self, people) -> None:
        """Close the open roles, at the units the officer rows name, of officers not in the file.

        Opt-in (``close_missing``): a file that lists a unit's officers is then the unit's whole
        roster. Only units in the uploader's scope count; the unit-manager role is never closed
        by omission, as for officers in the file. One query per 900 units, never per officer.
        """
        plan = self.plan
        present = {p.officer_id for p in people if p.officer_id}
        units = set()
        for person in people:
            units.add(person.unit_code)
            units.update(role[2] for role in person.roles)
        units = [
            code for code in units if code in self.db_units and self.scope.covers(self.db_units[code][2])
        ]
        closing = []
        for chunk in _chunks(units):
            closing.extend(
                RoleAssignment.objects.filter(unit__code__in=chunk, end_date__isnull=True)
                .exclude(role=Role.UNIT_MANAGER)
                .values_list(
                    "id",
                    "officer_id",
                    "role",
                    "unit__code",
                    "start_date",
                    "officer__code",
                    "officer__family_name",
                    "officer__middle_name",
                    "officer__given_name",
                )
            )
        closing.sort(key=lambda row: (row[3], row[5], row[0]))
        for row in closing:
            if row[1] in present:
                continue
            end = max(self.today, row[4])
            plan.roles_to_close.append((row[0], end))
            plan.roles_closed_absent += 1
            sample = {
                "officer": _full({"family_name": row[6], "middle_name": row[7], "given_name": row[8]}),
                "code": row[5],
                "role": layout.ROLE_LABELS[row[2]],
                "unit": row[3],
                "end": end.strftime("%d/%m/%Y"),
            }
            plan.sample("roles_closed", sample)
            plan.sample("roles_closed_absent", sample)

    def _open(self, person, role, unit_code, start, end):
        self.plan.roles_to_open.append((person, role, unit_code, start, end))
        self.plan.sample(
            "roles_opened",
            {
                "officer": _full(person.data),
                "code": person.code,
                "role": layout.ROLE_LABELS[role],
                "unit": unit_code,
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y") if end else "",
            },
        )

    def _closed_sample(self, person, role, unit_code, end):
        self.plan.sample(
            "roles_closed",
            {
                "officer": _full(person.data),
                "code": person.code,
                "role": layout.ROLE_LABELS[role],
                "unit": unit_code,
                "end": end.strftime("%d/%m/%Y"),
            },
        )


def _changes(kind: str, changes: dict, old: dict) -> list[tuple[str, str, str]]:
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


def _told_apart(one: dict, other: dict) -> bool:
    """Two rows with the same name and birth date are two people when their contacts differ."""
    return any(one.get(name) and other.get(name) and one[name] != other[name] for name in ("email", "phone"))


def _full(data: dict) -> str:
    return " ".join(p for p in (data["family_name"], data["middle_name"], data["given_name"]) if p)


def build_plan(
    roster: RosterFile, *, scope: Scope, today: date, progress=None, close_missing: bool = False
) -> Plan:
    """Validate every row of ``roster`` and return the changes it implies. Never writes.

    With ``close_missing`` the open roles of officers absent from the file, at the units its
    officer rows name, are closed too (see Planner._close_absent).
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
    plan = planner.plan
    if plan.ok:
        planner.plan_roles()
    return plan
