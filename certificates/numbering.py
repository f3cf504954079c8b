"""Certificate numbers (``Số: N/YYYY/GCN-<issuer>``) and verification codes (see ``codes``).

Numbers are sequential per issuer and year with no gap and no duplicate: the
counter row is locked (SELECT … FOR UPDATE) for the rest of the caller's
transaction, so concurrent issuers queue on it, and a rolled-back issue also rolls
back its increment.
"""

from dataclasses import dataclass

from django.db import transaction

from organizations.models import Unit, UnitLevel

from . import codes
from .models import IssuerCounter

# The city federation's short code as printed in numbers ("GCN-LĐLĐ").
CITY_ISSUER_CODE = "LĐLĐ"


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str


def issuer_for_unit(unit: Unit) -> Issuer:
    if unit.level == UnitLevel.CITY:
        return Issuer(CITY_ISSUER_CODE, unit.name)
    return Issuer(unit.code, unit.name)


def issuer_for_record(record) -> Issuer:
    """Who issues the certificate for a training record.

    An in-person class is certified by the unit that organised it; an online course
    (and anything without an organiser) by the city federation at the root of the
    learner's tree.
    """
    if record.in_person_class_id:
        return issuer_for_unit(record.in_person_class.organising_unit)
    return issuer_for_unit(record.officer.unit.get_root())


def next_number(issuer_code: str, year: int) -> int:
    """Take the next number for ``issuer_code`` in ``year``; must run inside a transaction.

    The counter row stays locked until the caller's transaction ends, so the number
    is used (or given back by a rollback) before anyone else gets the next one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must be called inside transaction.atomic().")
    counter, _ = IssuerCounter.objects.select_for_update().get_or_create(issuer_code=issuer_code, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def new_verification_code() -> str:
    """A random code, unrelated to anything about the certificate: 80 bits as 16 Crockford
    base32 symbols, stored canonical (``codes``)."""
    return codes.new_code()
