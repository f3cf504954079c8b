"""Searching people and units the way Vietnamese users type: with or without diacritics.

Officers and units keep a folded copy of their name (``search_name``, see
``core.vietnamese.folding.fold``),
refreshed on every save path; a query is folded the same way and each of its words must be
found in the folded name (or, as before, in the code, e-mail or phone).
"""

import re

from django.db.models import Q

from core.phones import is_phone, normalise_phone
from core.vietnamese.folding import fold
from core.vietnamese.names import full_name

SEARCH_MAX_WORDS = 8  # a name has fewer; more would only make the query heavier
SEARCH_MAX_LENGTH = 100  # characters of a search that are read
OFFICER_SEARCH_NAME_LENGTH = 200
UNIT_SEARCH_NAME_LENGTH = 255


def search_words(query: str) -> list[str]:
    """The words of ``query`` that a search uses: the first few, within the length limit.

    Characters a database cannot hold (NUL) are dropped, so a pasted wall of text is a search
    like any other, never an error.
    """
    kept = " ".join(query.replace("\x00", "").split()[:SEARCH_MAX_WORDS])
    return kept[:SEARCH_MAX_LENGTH].split()


def officer_search_name(family_name: str, middle_name: str, given_name: str) -> str:
    return fold(full_name(family_name, middle_name, given_name))[:OFFICER_SEARCH_NAME_LENGTH]


def unit_search_name(name: str) -> str:
    return fold(name)[:UNIT_SEARCH_NAME_LENGTH]


_PHONE_PUNCTUATION = re.compile(r"[.\-()]")


def phone_part(word: str) -> str:
    """The part of a stored (E.164) number a typed word stands for: ``0912`` is ``912`` in
    ``+84912345678``; "" when the word cannot be part of a number."""
    digits = _PHONE_PUNCTUATION.sub("", word)
    if digits.startswith("0") and digits.isdigit():
        return digits[1:]
    return digits if digits.lstrip("+").isdigit() else ""


def phone_search(query: str, prefix: str = "") -> Q | None:
    """When the whole search is one phone number, typed any usual way: its officer, exactly."""
    query = query.replace("\x00", "")[:SEARCH_MAX_LENGTH]
    if not is_phone(query):
        return None
    return Q(**{f"{prefix}phone": normalise_phone(query)})


def officer_matches(word: str, prefix: str = "") -> Q:
    """Officers (through the relation ``prefix``, e.g. "officer__") whose name, code, e-mail or
    phone matches one word of a search."""
    found = (
        Q(**{f"{prefix}search_name__contains": fold(word)})
        | Q(**{f"{prefix}code__iexact": word})
        | Q(**{f"{prefix}email__iexact": word})
    )
    if part := phone_part(word):
        found |= Q(**{f"{prefix}phone__contains": part})
    return found


def unit_matches(word: str, prefix: str = "") -> Q:
    """Units (through ``prefix``) whose name or code contains one word of a search."""
    return Q(**{f"{prefix}search_name__contains": fold(word)}) | Q(**{f"{prefix}code__icontains": word})


def backfill_search_names(officer_model, unit_model, *, batch_size: int = 2000) -> int:
    """Fill ``search_name`` of every officer and unit from its name; returns the rows written.

    Works on the historical models a migration passes in (no model methods), in batches of
    primary keys so 100,000 rows never sit in memory at once.
    """
    written = 0
    jobs = (
        (officer_model, ("family_name", "middle_name", "given_name"), officer_search_name),
        (unit_model, ("name",), unit_search_name),
    )
    for model, fields, make in jobs:
        last_pk = 0
        while True:
            batch = list(model.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", *fields)[:batch_size])
            if not batch:
                break
            for row in batch:
                row.search_name = make(*(getattr(row, field) for field in fields))
            # Small UPDATE batches: bulk_update's CASE grows with the square of its size.
            model.objects.bulk_update(batch, ["search_name"], batch_size=500)
            written += len(batch)
            last_pk = batch[-1].pk
    return written
