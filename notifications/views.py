from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from organizations.scope import is_auditor, is_manager

from . import routing, selectors


@login_required
def unreachable(request):
    """The officers of the viewer's scope whom no message can reach, with how many there are."""
    if not (is_auditor(request.user) or is_manager(request.user)):
        raise PermissionDenied
    officers = selectors.unreachable_officers(request.user)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/unreachable.html",
        {"page_obj": page, "count": page.paginator.count, "channels": routing.channel_order()},
    )
