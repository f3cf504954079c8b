from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render

from core.vietnamese.collation import vietnamese

from . import selectors
from .fields import SEARCH_MAX_LENGTH, UNIT_SEARCH_LIMIT
from .models import Officer, Unit
from .scope import is_auditor, is_manager


def _require_roster_access(user) -> None:
    if not (is_auditor(user) or is_manager(user)):
        raise PermissionDenied


@login_required
def officer_list(request):
    _require_roster_access(request.user)
    units = selectors.units_for(request.user).filter(level__in=["city", "upper"])
    search = request.GET.get("q", "").strip()
    context = {"search": search, "units": units, "unit": None}
    if unit_code := request.GET.get("unit", "").strip():
        if "\x00" not in unit_code:  # no code has one (and PostgreSQL refuses it)
            context["unit"] = selectors.units_for(request.user).filter(code=unit_code[:64]).first()
        if context["unit"] is None:
            # An unknown unit, or one outside the scope, must not widen the list to everyone:
            # nothing is listed, and the page says why.
            context["unknown_unit"] = unit_code[:64]
            return render(request, "organizations/officer_list.html", context, status=404)
    officers = selectors.officers_for(request.user, search=search, unit=context["unit"])
    context["page_obj"] = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(request, "organizations/officer_list.html", context)


@login_required
def officer_detail(request, pk: int):
    _require_roster_access(request.user)
    try:
        officer = selectors.officer_with_roles(request.user, pk)
    except Officer.DoesNotExist:
        raise Http404 from None
    return render(request, "organizations/officer_detail.html", {"officer": officer})


@login_required
def unit_tree(request, code: str | None = None):
    """Browse the tree one level at a time, starting at the viewer's top units."""
    _require_roster_access(request.user)
    visible = selectors.units_for(request.user)
    if code:
        unit = visible.filter(code=code).first()
        if unit is None:
            raise Http404
        children = visible.filter(path__startswith=unit.path, depth=unit.depth + 1)
        ancestors = [a for a in unit.get_ancestors() if visible.filter(pk=a.pk).exists()]
    else:
        unit, ancestors = None, []
        top_depth = visible.order_by("depth").values_list("depth", flat=True).first()
        children = visible.filter(depth=top_depth) if top_depth else Unit.objects.none()
    page = Paginator(children.order_by(vietnamese("name"), "pk"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/unit_tree.html",
        {"unit": unit, "ancestors": ancestors, "page_obj": page},
    )


@login_required
def unit_search(request):
    """Up to a few units of the viewer's scope whose name or code matches ``?q=``, as JSON.

    Feeds the suggestions of a unit-code input; one query; outside the scope nothing is found.
    """
    query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    results = []
    if len(query) >= 2:
        units = selectors.with_parent_name(
            selectors.search_units(selectors.units_for(request.user), query), request.user
        )
        for unit in units[:UNIT_SEARCH_LIMIT]:
            label = f"{unit.name} — {unit.parent_name}" if unit.parent_name else unit.name
            results.append({"code": unit.code, "name": unit.name, "label": label})
    return JsonResponse({"results": results})
