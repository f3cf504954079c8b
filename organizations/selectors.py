"""Reads of the union tree and the roster for screens, always scoped to the viewer."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Substr

from .models import Officer, RoleAssignment, Unit
from .scope import scope_filter, visible_units
from .search import officer_matches, phone_search, search_words, unit_matches


def officers_for(user, *, search: str = "", unit: Unit | None = None) -> QuerySet[Officer]:
    """Officers the user may see, sorted by name the Vietnamese way. One query per page.

    ``search``: every word must be in the name (with or without diacritics, any case), or be
    the officer's code or e-mail, or part of the phone number (see ``search_officers``).
    """
    officers = Officer.objects.in_scope(user).select_related("unit")
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    return search_officers(officers, search).sorted_by_name()


def search_officers(officers: QuerySet, query: str, *, prefix: str = "") -> QuerySet:
    """``officers`` (or rows related to an officer through ``prefix``, e.g. "officer__") that
    match every word of ``query`` — only the first few words count (``search.search_words``).

    A search that is one phone number typed any usual way (``0912 345 678``, ``+84 912…``)
    finds its officer by the stored E.164 number."""
    if (by_phone := phone_search(query, prefix)) is not None:
        return officers.filter(by_phone)
    for word in search_words(query):
        officers = officers.filter(officer_matches(word, prefix))
    return officers


def search_role_assignments(roles: QuerySet, query: str) -> QuerySet:
    """``roles`` where every word of ``query`` matches the officer (as in ``search_officers``)
    or the unit (as in ``search_units``)."""
    for word in search_words(query):
        roles = roles.filter(officer_matches(word, "officer__") | unit_matches(word, "unit__"))
    return roles


def officer_with_roles(user, officer_id: int) -> Officer:
    """One officer in the user's scope, with the role history; DoesNotExist otherwise."""
    return (
        Officer.objects.in_scope(user)
        .select_related("unit", "user")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.select_related("unit").order_by("-start_date", "-id"),
            )
        )
        .get(pk=officer_id)
    )


def units_for(user) -> QuerySet[Unit]:
    return visible_units(user).order_by("path")


def search_units(units: QuerySet, query: str, *, prefix: str = "") -> QuerySet:
    """``units`` (or rows related to a unit through ``prefix``) whose name — with or without
    diacritics, any case — or code contains every word of ``query``.

    Only the first few words count, and characters a database cannot hold (NUL) are dropped,
    so a pasted wall of text is a search like any other, never an error.
    """
    for word in search_words(query):
        units = units.filter(unit_matches(word, prefix))
    return units


def with_parent_name(units: QuerySet[Unit], user) -> QuerySet[Unit]:
    """``units`` annotated with ``parent_name``, read in the same query from the tree path.

    The parent is named only when ``user`` may see it (a manager's top unit has none).
    """
    parents = Unit.objects.filter(
        scope_filter(user),
        path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen),
    )
    return units.annotate(parent_name=Subquery(parents.values("name")[:1]))
