"""Reading a roster sheet into typed rows: its header, then one frozen dataclass per row.

Each reader reports what is wrong with a cell (a date that does not exist, an unknown role) on
the sheet's row and column and says whether the row is usable. Checks that need other rows or
the database are in checks/ and matching.py.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.vietnamese.names import full_name, split_full_name

from . import layout, values

DEFAULT_PROGRESS_ROWS = 5000
PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "preferred_channel",
)
NAME_PARTS = ("family_name", "middle_name", "given_name")

PersonKey = tuple[str, str]  # ("code" | "email" | "phone", value): how the file's rows name one person


class Problems(Protocol):
    """Where problems go (the Plan): every one is counted, the first few thousand kept."""

    rows_read: int
    problem_count: int

    def add_problem(self, sheet: str, row: int | None, column: str, message: str) -> None: ...


@dataclass(frozen=True)
class Sheet:
    """A sheet's title and where each field's column is; a problem on it goes to ``problems``."""

    title: str
    problems: Problems
    index: dict[str, int] = field(default_factory=dict)  # field -> position in a row
    labels: dict[str, str] = field(default_factory=dict)  # field -> "B (Mã đơn vị cấp trên)"

    def has(self, name: str) -> bool:
        return name in self.index

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def name_field(self) -> str:
        """The column a problem with the officer's name is reported in."""
        return "full_name" if self.has("full_name") else "given_name"

    def problem(self, row: int, name: str, message: str) -> None:
        self.problems.add_problem(self.title, row, self.label(name), message)


# ----------------------------------------------------------------------- header


def read_header(sheet, problems: Problems) -> Sheet | None:
    """The sheet's columns, or None (with the problems reported) when its header is unusable."""
    found = Sheet(title=sheet.title, problems=problems)
    count = problems.problem_count
    for ref in sheet.merged_header:
        problems.add_problem(
            sheet.title, 1, ref, _("Header cells are merged; unmerge them so each column has its own header.")
        )
    _map_headers(sheet, found)
    _require_columns(sheet.kind, found)
    return found if problems.problem_count == count else None


def _map_headers(sheet, found: Sheet) -> None:
    lookup = layout.HEADER_LOOKUP[sheet.kind]
    for position, header in enumerate(sheet.headers):
        if header is None or str(header).strip() == "":
            continue
        letter = get_column_letter((sheet.columns[position] if sheet.columns else position) + 1)
        label = f"{letter} ({values.text(header)})"
        column = lookup.get(layout.plain(header))
        if column is None:
            found.problems.add_problem(found.title, 1, label, _("Unknown column header."))
        elif column.field in found.index:
            found.problems.add_problem(found.title, 1, label, _("This column appears twice."))
        else:
            found.index[column.field] = position
            found.labels[column.field] = label


def _require_columns(kind: str, found: Sheet) -> None:
    for column in layout.COLUMNS[kind]:
        if column.required and not found.has(column.field):
            found.problems.add_problem(
                found.title,
                1,
                column.header,
                _("Required column “%(header)s” is missing.") % {"header": column.header},
            )
    if kind == layout.OFFICERS and not (found.has("given_name") or found.has("full_name")):
        found.problems.add_problem(
            found.title,
            1,
            "Tên / Họ và tên",
            _("The sheet needs a “Họ và tên” column or the “Họ”, “Tên đệm”, “Tên” columns."),
        )


def read_rows(sheet, found: Sheet, progress=None, every: int = DEFAULT_PROGRESS_ROWS) -> Iterator:
    """(row number, {field: cell}) for each non-blank row; a row holding a formula is reported instead."""
    problems = found.problems
    for number, row in sheet.rows:
        if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        problems.rows_read += 1
        if progress and problems.rows_read % every == 0:
            progress(problems.rows_read)
        cells = {name: (row[i] if i < len(row) else None) for name, i in found.index.items()}
        formulas = [name for name, value in cells.items() if isinstance(value, str) and value.startswith("=")]
        for name in formulas:
            found.problem(number, name, _("The cell holds a formula; paste its value instead."))
        if not formulas:
            yield number, cells


# ------------------------------------------------------------------------ units


@dataclass(frozen=True)
class UnitRow:
    sheet: Sheet
    number: int
    code: str
    parent_code: str
    name: str  # empty: keep the existing unit's name
    level: str | None  # None: keep the existing unit's level
    kind: str | None
    worker_count: int | None

    def problem(self, name: str, message: str) -> None:
        self.sheet.problem(self.number, name, message)


def read_unit(found: Sheet, number: int, cells: dict, code: str, *, new: bool) -> tuple[UnitRow, bool]:
    """The unit row after its code is checked; name and level are required for a new unit."""
    name = values.text(cells.get("name"))[:255]
    ok = True
    if not name and new:
        found.problem(number, "name", _("The unit name is empty."))
        ok = False
    level, level_ok = _choice(found, number, cells, "level", layout.LEVEL_VALUES, layout.LEVEL_LABELS)
    if level_ok and level is None and new:
        found.problem(number, "level", _("The level is empty."))
        level_ok = False
    kind, kind_ok = _choice(found, number, cells, "kind", layout.KIND_VALUES, layout.KIND_LABELS)
    count, count_ok = _worker_count(found, number, cells)
    row = UnitRow(
        sheet=found,
        number=number,
        code=code,
        parent_code=values.unit_code(cells.get("parent_code")),
        name=name,
        level=level,
        kind=kind,
        worker_count=count,
    )
    return row, ok and level_ok and kind_ok and count_ok


def _choice(found: Sheet, number: int, cells: dict, name: str, accepted: dict, labels: dict):
    """(value, ok) of a drop-down column: None for a blank cell; an unknown value is reported."""
    raw = values.text(cells.get(name))
    if not raw:
        return None, True
    value = accepted.get(layout.plain(raw))
    if value is None:
        message = {
            "level": _("Unknown level “%(value)s”; write one of: %(choices)s."),
            "kind": _("Unknown kind “%(value)s”; write one of: %(choices)s."),
        }[name]
        found.problem(number, name, message % {"value": raw, "choices": ", ".join(labels.values())})
        return None, False
    return value, True


def _worker_count(found: Sheet, number: int, cells: dict) -> tuple[int | None, bool]:
    raw = cells.get("worker_count")
    if raw in (None, ""):
        return None, True
    try:
        return values.parse_count(raw), True
    except ValueError as error:
        found.problem(number, "worker_count", str(error))
        return None, False


# --------------------------------------------------------------------- officers


@dataclass
class PersonDetails:
    """A person's details as a row gives them; a person's first row's are completed by later rows."""

    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    date_of_birth: date | None = None
    gender: str = ""
    phone: str = ""
    email: str = ""
    preferred_channel: str = ""  # Zalo, SMS or e-mail first (notifications); blank: the usual order

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)

    def told_apart_from(self, other: "PersonDetails") -> bool:
        """Two rows with the same name and birth date are two people when their contacts differ."""
        return any(
            getattr(self, name) and getattr(other, name) and getattr(self, name) != getattr(other, name)
            for name in ("email", "phone")
        )


@dataclass(frozen=True)
class RoleRow:
    row: int
    role: str
    unit_code: str
    start: date
    end: date | None

    def same_as(self, other: "RoleRow") -> bool:
        return (self.role, self.unit_code, self.start, self.end) == (
            other.role,
            other.unit_code,
            other.start,
            other.end,
        )


@dataclass(frozen=True)
class OfficerRow:
    sheet: Sheet
    number: int
    code: str
    details: PersonDetails
    unit_code: str
    role: RoleRow | None  # None: the row records the person only

    def problem(self, name: str, message: str) -> None:
        self.sheet.problem(self.number, name, message)

    def key(self) -> PersonKey | None:
        """How the file names the person: officer code, else e-mail, else phone."""
        if self.code:
            return ("code", self.code)
        if self.details.email:
            return ("email", self.details.email)
        if self.details.phone:
            return ("phone", self.details.phone)
        return None


@dataclass
class Person:
    """One officer of the file, from one or more rows (one per role)."""

    row: int  # the first row naming the person
    key: PersonKey
    code: str
    data: PersonDetails
    unit_code: str  # the first row's unit: the officer's home unit
    roles: list[RoleRow] = field(default_factory=list)
    officer_id: int | None = None  # the matched officer's, or the new one's once written


def read_person(found: Sheet, number: int, cells: dict, today: date) -> tuple[str, PersonDetails, bool]:
    """(officer code, details, ok) of an officer row; every wrong cell is reported."""
    code = values.text(cells.get("code"))
    ok = True
    if len(code) > 32:
        found.problem(number, "code", _("The code is longer than 32 characters."))
        ok = False
    details = PersonDetails()
    # Each reader runs, in the sheet's column order, so every wrong cell of the row is reported.
    results = [read(found, number, cells, details, today) for read in PERSON_READERS]
    return code, details, ok and all(results)


def _read_name(found: Sheet, number: int, cells: dict, details: PersonDetails, today: date) -> bool:
    full = values.text(cells.get("full_name"))
    given = values.text(cells.get("given_name"))
    if given:
        family, middle = values.text(cells.get("family_name")), values.text(cells.get("middle_name"))
    else:
        family, middle, given = split_full_name(full)
    details.family_name, details.middle_name, details.given_name = family, middle, given
    ok = True
    if not given:
        found.problem(number, found.name_field(), _("The name is empty."))
        ok = False
    if max(len(family), len(middle), len(given)) > 64:
        found.problem(number, "full_name" if full else "given_name", _("The name is too long."))
        ok = False
    return ok


def _read_birth(found: Sheet, number: int, cells: dict, details: PersonDetails, today: date) -> bool:
    try:
        born = values.parse_date(cells.get("date_of_birth"))
        if born and not (date(1900, 1, 1) <= born <= today):
            raise ValueError(
                _("The date of birth %(date)s is impossible.") % {"date": born.strftime("%d/%m/%Y")}
            )
    except ValueError as error:
        found.problem(number, "date_of_birth", str(error))
        return False
    details.date_of_birth = born
    return True


def _read_gender(found: Sheet, number: int, cells: dict, details: PersonDetails, today: date) -> bool:
    raw = values.text(cells.get("gender"))
    gender = layout.GENDER_VALUES.get(layout.plain(raw), None) if raw else ""
    if gender is None:
        found.problem(
            number, "gender", _("Unknown gender “%(value)s”; write Nam, Nữ or Khác.") % {"value": raw}
        )
        return False
    details.gender = gender
    return True


def _read_contacts(found: Sheet, number: int, cells: dict, details: PersonDetails, today: date) -> bool:
    ok = True
    for name, parser in (("phone", values.parse_phone), ("email", values.parse_email)):
        try:
            setattr(details, name, parser(cells.get(name)))
        except ValueError as error:
            found.problem(number, name, str(error))
            ok = False
    return ok


def _read_channel(found: Sheet, number: int, cells: dict, details: PersonDetails, today: date) -> bool:
    raw = values.text(cells.get("preferred_channel"))
    channel = layout.CHANNEL_VALUES.get(layout.plain(raw), None) if raw else ""
    if channel is None:
        found.problem(
            number,
            "preferred_channel",
            _("Unknown channel “%(value)s”; write Zalo, SMS or Thư điện tử.") % {"value": raw},
        )
        return False
    details.preferred_channel = channel
    return True


PERSON_READERS = (_read_name, _read_birth, _read_gender, _read_contacts, _read_channel)


def read_role(
    found: Sheet, number: int, cells: dict, unit_code: str, today: date
) -> tuple[RoleRow | None, bool]:
    """The row's role (None when “Vai trò” is blank) and whether its cells are right."""
    raw = values.text(cells.get("role"))
    if not raw:
        return None, True
    role = layout.ROLE_VALUES.get(layout.plain(raw))
    if role is None:
        found.problem(
            number,
            "role",
            _("Unknown role “%(value)s”; write one of: %(choices)s.")
            % {"value": raw, "choices": ", ".join(layout.ROLE_LABELS.values())},
        )
    start, start_ok = _role_start(found, number, cells, today)
    end, end_ok = _role_end(found, number, cells, start)
    if role is None or not (start_ok and end_ok):
        return None, False
    return RoleRow(row=number, role=role, unit_code=unit_code, start=start, end=end), True


def _role_start(found: Sheet, number: int, cells: dict, today: date) -> tuple[date | None, bool]:
    try:
        start = values.parse_date(cells.get("start_date")) or today
    except ValueError as error:
        found.problem(number, "start_date", str(error))
        return None, False
    if start.year < 1945:
        found.problem(
            number, "start_date", _("The date %(date)s is impossible.") % {"date": start.strftime("%d/%m/%Y")}
        )
        return start, False  # still compared with the end date, as typed
    return start, True


def _role_end(found: Sheet, number: int, cells: dict, start: date | None) -> tuple[date | None, bool]:
    try:
        end = values.parse_date(cells.get("end_date"))
    except ValueError as error:
        found.problem(number, "end_date", str(error))
        return None, False
    if end and start and end < start:
        found.problem(number, "end_date", _("The end date is before the start date."))
        return end, False
    return end, True
