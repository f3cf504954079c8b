"""Checks across the officer rows: rows of one person agree, and two people do not share an
e-mail, a phone number, or a name and birth date (unless their contacts tell them apart).

Each problem is reported on the later row, naming the earlier one; the row is then left out.
"""

import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from core.phones import display_phone

from ..rows import PERSON_FIELDS, OfficerRow, Person, PersonDetails, PersonKey


class Claim(NamedTuple):
    """The first row that gave an e-mail, a phone or a name and birth date, and whose it is."""

    key: PersonKey
    row: int
    details: PersonDetails


@dataclass
class FilePeople:
    """The people of the file's officer rows, by how the rows name them."""

    people: dict[PersonKey, Person] = field(default_factory=dict)
    emails: dict[str, Claim] = field(default_factory=dict)
    phones: dict[str, Claim] = field(default_factory=dict)
    births: dict[tuple, Claim] = field(default_factory=dict)  # (folded full name, date of birth)

    def add(self, row: OfficerRow) -> None:
        """Add a checked officer row to its person, or report why it cannot be."""
        key = row.key()
        if key is None:
            row.problem("code", _("The row needs an officer code, an e-mail address or a phone number."))
            return
        person = self._person(row, key)
        if person is None:
            return
        if self._email_taken(row, key) or self._phone_taken(row, key) or self._namesake(row, key):
            return
        if row.role is not None:
            self._add_role(person, row)

    def _person(self, row: OfficerRow, key: PersonKey) -> Person | None:
        """The row's person, new or earlier; None when the row disagrees with the person's earlier rows."""
        person = self.people.get(key)
        if person is None:
            person = Person(row=row.number, key=key, code=row.code, data=row.details, unit_code=row.unit_code)
            self.people[key] = person
            return person
        for name in PERSON_FIELDS:
            mine, theirs = getattr(row.details, name), getattr(person.data, name)
            if mine and theirs and mine != theirs:
                row.problem(
                    name if row.sheet.has(name) else row.sheet.name_field(),
                    _("Duplicate person: row %(row)s has the same officer but a different value here.")
                    % {"row": person.row},
                )
                return None
            if mine and not theirs:
                setattr(person.data, name, mine)
        return person

    def _email_taken(self, row: OfficerRow, key: PersonKey) -> bool:
        email = row.details.email
        if not email:
            return False
        owner = self.emails.setdefault(email, Claim(key, row.number, row.details))
        if owner.key == key:
            return False
        row.problem(
            "email",
            _("Duplicate person: the e-mail %(email)s is also on row %(row)s for another officer.")
            % {"email": email, "row": owner.row},
        )
        return True

    def _phone_taken(self, row: OfficerRow, key: PersonKey) -> bool:
        phone = row.details.phone
        if not phone:
            return False
        owner = self.phones.setdefault(phone, Claim(key, row.number, row.details))
        if owner.key == key:
            return False
        row.problem(
            "phone",
            _("Duplicate person: the phone number %(phone)s is also on row %(row)s for another officer.")
            % {"phone": display_phone(phone), "row": owner.row},
        )
        return True

    def _namesake(self, row: OfficerRow, key: PersonKey) -> bool:
        """The same full name and birth date under another code, with nothing to tell them apart."""
        details = row.details
        if not details.date_of_birth:
            return False
        name = unicodedata.normalize("NFC", " ".join(details.full_name.split())).casefold()
        owner = self.births.setdefault((name, details.date_of_birth), Claim(key, row.number, details))
        if owner.key == key or details.told_apart_from(owner.details):
            return False
        row.problem(
            row.sheet.name_field(),
            _(
                "Duplicate person: %(name)s, born %(date)s, is also on row %(row)s under another "
                "officer code. If they are two people, give each their own e-mail or phone number."
            )
            % {
                "name": details.full_name,
                "date": details.date_of_birth.strftime("%d/%m/%Y"),
                "row": owner.row,
            },
        )
        return True

    def _add_role(self, person: Person, row: OfficerRow) -> None:
        for other in person.roles:
            if other.same_as(row.role):
                row.problem(
                    "role", _("Duplicate role: the same role is on row %(row)s.") % {"row": other.row}
                )
                return
        person.roles.append(row.role)
