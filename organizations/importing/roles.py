"""Planning the roles of a checked file: the roles to open, the open ones to close.

Roles in the file are opened (or recorded closed); open roles missing from it are closed.
Closing by omission happens only for a person whose rows name at least one role: a sheet without a
role column, or a person's rows with the role left blank, record the person only and leave every
role they hold as it is. The unit-manager role is never closed by omission (it grants access to
the roster, so a training sheet that forgets it must not lock the manager out); a row naming it
with an end date closes it explicitly.
"""

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from core.vietnamese.names import full_name

from ..models import Role, RoleAssignment
from . import layout
from .matching import RosterUnits, chunks
from .plan import Plan, RoleClosing, RoleToOpen, Scope
from .rows import Person, RoleRow


class HeldRole(NamedTuple):
    id: int
    officer_id: int
    role: str
    unit_code: str
    unit_path: str
    start_date: date
    end_date: date | None


class AbsentRole(NamedTuple):
    """An open role, at a unit the file names, of an officer the file leaves out."""

    id: int
    officer_id: int
    role: str
    unit_code: str
    start_date: date
    officer_code: str | None
    family_name: str
    middle_name: str
    given_name: str


def plan_roles(plan: Plan, people: list[Person], *, scope: Scope, today: date) -> None:
    """Plan the roles of the file's people that are new or matched (one query per 900 officers)."""
    held = defaultdict(list)
    ids = [p.officer_id for p in people if p.officer_id]
    for chunk in chunks(ids):
        for row in RoleAssignment.objects.filter(officer_id__in=chunk).values_list(
            "id", "officer_id", "role", "unit__code", "unit__path", "start_date", "end_date"
        ):
            held[row[1]].append(HeldRole._make(row))
    new_ids = {id(p) for p in plan.new_people}
    for person in people:
        if person.officer_id is None and id(person) not in new_ids:
            continue  # the person had an error
        _plan_person(plan, person, held.get(person.officer_id, []), scope=scope, today=today)


def _plan_person(plan: Plan, person: Person, held: list[HeldRole], *, scope: Scope, today: date) -> None:
    open_roles = {(r.role, r.unit_code): r for r in held if r.end_date is None}
    closed = {(r.role, r.unit_code, r.start_date, r.end_date) for r in held if r.end_date is not None}
    kept = set()
    for role in person.roles:
        key = (role.role, role.unit_code)
        current = open_roles.get(key)
        if role.end is None and current is not None:
            kept.add(key)
            plan.roles_unchanged += 1
        elif role.end is not None and current is not None and current.start_date <= role.end:
            kept.add(key)
            _close(plan, person, current.id, role.role, role.unit_code, role.end)
        elif role.end is not None and (role.role, role.unit_code, role.start, role.end) in closed:
            plan.roles_unchanged += 1  # a past role recorded already
        else:
            _open(plan, person, role)
    if not person.roles:
        return  # the person only: their roles stay as they are
    for key, row in open_roles.items():
        if key in kept or row.role == Role.UNIT_MANAGER or not scope.covers(row.unit_path):
            continue
        _close(plan, person, row.id, row.role, row.unit_code, max(today, row.start_date))


def close_absent(plan: Plan, people: list[Person], roster: RosterUnits, *, scope: Scope, today: date) -> None:
    """Close the open roles, at the units the officer rows name, of officers not in the file.

    Opt-in (``close_missing``): a file that lists a unit's officers is then the unit's whole
    roster. Only units in the uploader's scope count; the unit-manager role is never closed
    by omission, as for officers in the file. One query per 900 units, never per officer.
    """
    present = {p.officer_id for p in people if p.officer_id}
    named = set()
    for person in people:
        named.add(person.unit_code)
        named.update(role.unit_code for role in person.roles)
    units = [code for code in named if code in roster and scope.covers(roster.get(code).path)]
    closing = []
    for chunk in chunks(units):
        rows = (
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
        closing.extend(AbsentRole._make(row) for row in rows)
    # Officers a manager added have no code yet: they sort first at their unit.
    closing.sort(key=lambda row: (row.unit_code, row.officer_code or "", row.id))
    for row in closing:
        if row.officer_id in present:
            continue
        end = max(today, row.start_date)
        plan.roles_to_close.append(RoleClosing(row.id, end))
        plan.roles_closed_absent += 1
        sample = {
            "officer": full_name(row.family_name, row.middle_name, row.given_name),
            "code": row.officer_code,
            "role": layout.ROLE_LABELS[row.role],
            "unit": row.unit_code,
            "end": end.strftime("%d/%m/%Y"),
        }
        plan.sample("roles_closed", sample)
        plan.sample("roles_closed_absent", sample)


def _open(plan: Plan, person: Person, role: RoleRow) -> None:
    plan.roles_to_open.append(RoleToOpen(person=person, role=role))
    plan.sample(
        "roles_opened",
        {
            "officer": person.data.full_name,
            "code": person.code,
            "role": layout.ROLE_LABELS[role.role],
            "unit": role.unit_code,
            "start": role.start.strftime("%d/%m/%Y"),
            "end": role.end.strftime("%d/%m/%Y") if role.end else "",
        },
    )


def _close(plan: Plan, person: Person, assignment_id: int, role: str, unit_code: str, end: date) -> None:
    plan.roles_to_close.append(RoleClosing(assignment_id, end))
    plan.sample(
        "roles_closed",
        {
            "officer": person.data.full_name,
            "code": person.code,
            "role": layout.ROLE_LABELS[role],
            "unit": unit_code,
            "end": end.strftime("%d/%m/%Y"),
        },
    )
