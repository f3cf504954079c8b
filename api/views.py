"""The "API access tokens" section of the account pages, and the API's catch-all 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import TokenForm
from .problems import not_found
from .tokens import create_token, may_use_api, revoke_token


def _require_staff(user) -> None:
    if not may_use_api(user):
        raise PermissionDenied


@never_cache
@login_required
def token_list(request):
    """List the user's tokens; a valid POST makes one and shows it this once (never stored)."""
    _require_staff(request.user)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        form = TokenForm()
    tokens = request.user.access_tokens.order_by("-created_at", "-id")
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})
    response["Cache-Control"] = "no-store"  # the new token is on this page, once
    return response


@require_POST
@login_required
def token_revoke(request, pk: int):
    _require_staff(request.user)
    token = get_object_or_404(request.user.access_tokens, pk=pk)
    revoke_token(token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens:list")


def api_not_found(request, *args, **kwargs):
    return not_found(_("There is no such address in the API; see /api/v1/docs.")).response()
