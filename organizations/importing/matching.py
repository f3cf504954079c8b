"""The units and officers a file names, looked up in a fixed number of queries, and each person of
the file matched to an existing officer (by code, else e-mail, else phone) or planned as new.

The queries depend on the file only, never on who exists: one for all units, then one per 900
codes, e-mails and phones (and, for a manager, one per 900 e-mails to the user accounts).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _

from core.phones import display_phone
from core.vietnamese.names import full_name

from ..models import Officer, Unit
from . import layout
from .messages import email_blocked, not_your_code, phone_blocked
from .plan import OfficerUpdate, Plan, Scope, changed_columns
from .rows import NAME_PARTS, PERSON_FIELDS, Person, Sheet

CHUNK = 900  # stays under SQLite's bound-parameter limit


def chunks(items: Iterable) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# ------------------------------------------------------------------------ units


class KnownUnit(NamedTuple):
    id: int
    code: str
    path: str
    depth: int
    level: str
    name: str
    kind: str
    worker_count: int


class RosterUnits:
    """Every unit of the roster by code, in one query (a few thousand short rows)."""

    def __init__(self):
        rows = Unit.objects.values_list(*KnownUnit._fields)
        self.by_code: dict[str, KnownUnit] = {row[1]: KnownUnit._make(row) for row in rows}
        self.code_by_path = {unit.path: unit.code for unit in self.by_code.values()}
        self._children: dict[str, list[str]] | None = None  # parent path -> child codes, when needed

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def get(self, code: str) -> KnownUnit | None:
        return self.by_code.get(code)

    def parent_code(self, unit: KnownUnit) -> str:
        return self.code_by_path.get(unit.path[: -Unit.steplen]) if unit.depth > 1 else ""

    def children(self, unit: KnownUnit) -> list[str]:
        if self._children is None:
            self._children = defaultdict(list)
            for code, row in self.by_code.items():
                if row.depth > 1:
                    self._children[row.path[: -Unit.steplen]].append(code)
        return sorted(self._children.get(unit.path, ()))


# --------------------------------------------------------------------- officers


class KnownOfficer(NamedTuple):
    id: int
    code: str | None
    family_name: str
    middle_name: str
    given_name: str
    date_of_birth: date | None
    gender: str
    phone: str
    email: str
    preferred_channel: str
    unit_id: int
    unit_path: str
    unit_code: str


OFFICER_COLUMNS = ("id", "code", *PERSON_FIELDS, "unit_id", "unit__path", "unit__code")


@dataclass
class KnownOfficers:
    """The officers a file's codes, e-mails and phones name, as far as the uploader may see them.

    For a manager the officers outside their units are left out; their e-mails, and those of
    accounts that are not an officer of the manager's, go to ``blocked_emails``, their phone
    numbers to ``blocked_phones`` (a number belongs to one officer: it cannot be given to another).
    """

    by_code: dict[str, KnownOfficer] = field(default_factory=dict)
    by_email: dict[str, list[KnownOfficer]] = field(default_factory=lambda: defaultdict(list))
    by_phone: dict[str, list[KnownOfficer]] = field(default_factory=lambda: defaultdict(list))
    blocked_emails: set[str] = field(default_factory=set)
    blocked_phones: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, people: Iterable[Person], scope: Scope) -> "KnownOfficers":
        people = list(people)
        known = cls()
        codes = [p.code for p in people if p.code]
        emails = [p.data.email for p in people if p.data.email]
        # Every phone of the file: a number held by another officer cannot be given to this one.
        phones = [p.data.phone for p in people if p.data.phone]
        for name, wanted in (("code", codes), ("email", emails), ("phone", phones)):
            for chunk in chunks(wanted):
                for row in Officer.objects.filter(**{f"{name}__in": chunk}).values_list(*OFFICER_COLUMNS):
                    known.add(name, KnownOfficer._make(row), scope)
        if not scope.everything:
            known.block_accounts(emails, scope)
        return known

    def add(self, name: str, officer: KnownOfficer, scope: Scope) -> None:
        if not scope.covers(officer.unit_path):
            if name == "email":
                self.blocked_emails.add(officer.email)
            elif name == "phone":
                self.blocked_phones.add(officer.phone)
            return
        if name == "code":
            self.by_code[officer.code] = officer
        elif name == "email":
            self.by_email[officer.email].append(officer)
        else:
            self.by_phone[officer.phone].append(officer)

    def block_accounts(self, emails: list[str], scope: Scope) -> None:
        """E-mails of sign-in accounts that are not an officer of the scope's (staff, elsewhere)."""
        from django.contrib.auth import get_user_model
        from django.db.models.functions import Lower

        users = get_user_model().objects.annotate(address=Lower("email"))
        for chunk in chunks(emails):
            rows = users.filter(address__in=chunk).values_list("address", "officer__unit__path")
            for address, path in rows:
                if path is None or not scope.covers(path):
                    self.blocked_emails.add(address)


class Match(NamedTuple):
    ok: bool  # False: a problem was reported on the person's row
    officer: KnownOfficer | None = None  # None: a new officer


class OfficerMatcher:
    """Finds each person's existing officer and plans the new and the changed ones.

    For a manager only officers of their own units are matched: an identifier held outside them
    gets the same answer as one nobody holds (not_your_code, email_blocked), built from the same
    queries, so the import tells nobody who exists elsewhere (docs/roster-import.md).
    """

    def __init__(self, plan: Plan, scope: Scope, sheet: Sheet):
        self.plan, self.scope, self.sheet = plan, scope, sheet

    def match(self, people: list[Person]) -> None:
        known = KnownOfficers.load(people, self.scope)
        matched: dict[int, Person] = {}
        for person in people:
            found = self.existing(person, known)
            if (
                not found.ok
                or self.email_taken(person, found.officer, known)
                or self.phone_taken(person, found.officer, known)
            ):
                continue
            officer = found.officer
            if officer is None:
                self.plan.new_people.append(person)
                self.plan.sample(
                    "officers_created",
                    {"code": person.code, "name": person.data.full_name, "unit": person.unit_code},
                )
            elif officer.id in matched:
                self.sheet.problem(
                    person.row,
                    "code",
                    _("Duplicate person: row %(row)s is the same officer.")
                    % {"row": matched[officer.id].row},
                )
            else:
                matched[officer.id] = person
                if self.scope.covers(officer.unit_path):  # else an auditor's out-of-scope match
                    plan_officer_update(self.plan, person, officer)

    def existing(self, person: Person, known: KnownOfficers) -> Match:
        """The officer the person matches by code (else e-mail, else phone)."""
        email = person.data.email
        if person.code:
            officer = known.by_code.get(person.code)
            if officer is None and not self.scope.everything:
                # Officer codes are the department's: a manager names officers of their units only.
                self.sheet.problem(person.row, "code", not_your_code())
                return Match(ok=False)
            if officer is None and email:
                # An officer imported earlier without a code gets the code now.
                uncoded = [o for o in known.by_email.get(email, []) if not o.code]
                officer = uncoded[0] if len(uncoded) == 1 else None
            return Match(ok=True, officer=officer)
        if email:
            candidates = known.by_email.get(email, [])
            return Match(ok=True, officer=candidates[0] if len(candidates) == 1 else None)
        # A number belongs to at most one officer (a database constraint), so one candidate at most;
        # one held outside the scope is reported by phone_taken, like one held by nobody it is not matched.
        candidates = known.by_phone.get(person.data.phone, [])
        return Match(ok=True, officer=candidates[0] if candidates else None)

    def email_taken(self, person: Person, officer: KnownOfficer | None, known: KnownOfficers) -> bool:
        """Whether the person's e-mail belongs to someone else (reported on the row)."""
        email = person.data.email
        return self._taken(
            person,
            officer,
            "email",
            email,
            blocked=known.blocked_emails,
            holders=known.by_email,
            refusal=email_blocked,
            duplicate=lambda other: (
                _("Duplicate person: the e-mail %(email)s already belongs to officer %(other)s.")
                % {"email": email, "other": other}
            ),
        )

    def phone_taken(self, person: Person, officer: KnownOfficer | None, known: KnownOfficers) -> bool:
        """Whether the person's phone number belongs to another officer (reported on the row)."""
        phone = person.data.phone
        return self._taken(
            person,
            officer,
            "phone",
            phone,
            blocked=known.blocked_phones,
            holders=known.by_phone,
            refusal=phone_blocked,
            duplicate=lambda other: (
                _("Duplicate person: the phone number %(phone)s already belongs to officer %(other)s.")
                % {"phone": display_phone(phone), "other": other}
            ),
        )

    def _taken(self, person, officer, field, value, *, blocked, holders, refusal, duplicate) -> bool:
        """Report on the row, and say whether, ``value`` of ``field`` belongs to someone else: one
        outside the manager's scope (``blocked``, a message naming nobody) or another officer."""
        if not value:
            return False
        if value in blocked:
            self.sheet.problem(person.row, field, refusal())
            return True
        mine = officer.id if officer else None
        others = [o for o in holders.get(value, []) if o.id != mine]
        if not others:
            return False
        other = others[0]
        self.sheet.problem(
            person.row,
            field,
            duplicate(other.code or full_name(other.family_name, other.middle_name, other.given_name)),
        )
        return True


def plan_officer_update(plan: Plan, person: Person, officer: KnownOfficer) -> None:
    """Record the person's officer and what the file changes in it (blank cells change nothing,
    except the name parts, which the file always gives)."""
    person.officer_id = officer.id
    plan.existing_officers[officer.id] = officer
    changes = {}
    for name in PERSON_FIELDS:
        value, now = getattr(person.data, name), getattr(officer, name)
        if value != now and (name in NAME_PARTS or value not in (None, "")):
            changes[name] = value
    if person.code and person.code != officer.code:
        changes["code"] = person.code
    if person.unit_code != officer.unit_code:
        changes["unit_code"] = person.unit_code
    if not changes:
        plan.officers_unchanged += 1
        return
    plan.officer_updates[officer.id] = OfficerUpdate(person=person, changes=changes)
    if plan.wants_sample("officers_updated"):
        plan.sample(
            "officers_updated",
            {
                "code": person.code or officer.code,
                "name": person.data.full_name,
                "fields": sorted(changes),
                "changes": changed_columns(layout.OFFICERS, changes, officer._asdict()),
            },
        )
