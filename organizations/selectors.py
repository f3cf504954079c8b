"""Reads of the union tree and the roster for screens, always scoped to the viewer."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from .models import Officer, RoleAssignment, Unit
from .scope import scope_filter, visible_units


def officers_for(user, *, search: str = "", unit: Unit | None = None) -> QuerySet[Officer]:
    """Officers the user may see, sorted by name the Vietnamese way. One query per page."""
    officers = Officer.objects.in_scope(user).select_related("unit")
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    for word in search.split():
        officers = officers.filter(
            Q(family_name__icontains=word)
            | Q(middle_name__icontains=word)
            | Q(given_name__icontains=word)
            | Q(code__iexact=word)
            | Q(email__iexact=word)
            | Q(phone__icontains=word)
        )
    return officers.sorted_by_name()


def officer_for(user, officer_id: int) -> Officer:
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


SEARCH_MAX_WORDS = 8  # a unit's name has fewer; more would only make the query heavier


def search_units(units: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    """``units`` whose name or code contains every word of ``query`` (case-insensitive).

    Only the first few words count, and characters a database cannot hold (NUL) are dropped,
    so a pasted wall of text is a search like any other, never an error.
    """
    for word in query.replace("\x00", "").split()[:SEARCH_MAX_WORDS]:
        units = units.filter(Q(name__icontains=word) | Q(code__icontains=word))
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
