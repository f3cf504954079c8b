"""Invitations: managers and auditors invite imported officers; officers accept and sign up."""

from allauth.account.forms import SignupForm
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.views import LogoutView
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.tasks import enqueue
from organizations.fields import UnitCodeField, unit_field_for
from organizations.models import Officer, Unit
from organizations.scope import visible_units
from organizations.views import _require_roster_access

from . import invitations as services
from .adapters import INVITATION_SESSION_KEY as SESSION_KEY
from .models import ActivationCode, ActivationSheet, Invitation
from .tasks import build_activation_sheet


class InvitationFilterForm(forms.Form):
    """Any unit in the user's scope, by code: a list for a small scope, a code input otherwise."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = unit_field_for(
            user,
            forms.ModelChoiceField(
                Unit.objects.none(),
                label=gettext_lazy("Unit"),
                required=False,
                to_field_name="code",
                empty_label=gettext_lazy("All units in my scope"),
            ),
        )
        if isinstance(field, UnitCodeField):
            field.widget.attrs["placeholder"] = gettext_lazy("All units in my scope")
        self.fields["unit"] = field


def _uninvited_officers(user, unit):
    """Officers in scope (and in the chosen unit's subtree) with an e-mail and no account."""
    officers = Officer.objects.in_scope(user).filter(user__isnull=True).exclude(email="")
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    return officers


@login_required
def invitation_list(request):
    _require_roster_access(request.user)
    form = InvitationFilterForm(request.POST if request.method == "POST" else request.GET, user=request.user)
    if not form.is_valid():
        # An unknown unit, or one outside the user's scope, must not widen "invite everyone":
        # nothing is listed; a GET shows why, with the code to correct.
        if request.method == "POST":
            raise Http404
        return render(request, "accounts/invitations/list.html", {"form": form}, status=404)
    unit = form.cleaned_data["unit"]
    confirm_all = None
    if request.method == "POST":
        officers = _uninvited_officers(request.user, unit)
        if request.POST.get("all") != "1":
            ids = [int(i) for i in request.POST.getlist("officer") if i.isdigit()]
            officers = officers.filter(pk__in=ids)
        elif request.POST.get("confirmed") != "1":
            # One click must not e-mail a whole district (or the city) by mistake: ask once more.
            count = officers.exclude(pk__in=Invitation.objects.pending().values("officer_id")).count()
            confirm_all = count if count > services.INLINE_SEND_LIMIT else None
    if request.method == "POST" and confirm_all is None:
        made, skipped = services.invite_officers(officers=officers, invited_by=request.user)
        if services.sends_in_background(len(made)):
            # Queued for the worker: not sent yet; failures show up later in the list's banner.
            done = ngettext(
                "%(count)s invitation is being sent.", "%(count)s invitations are being sent.", len(made)
            ) % {"count": len(made)}
        else:
            # Inline sends have run by now (outside a transaction, on_commit runs at once); the
            # ones that failed are reported by the list's banner after the redirect.
            failed = Invitation.objects.filter(pk__in=[i.pk for i in made]).exclude(send_error="").count()
            done = ngettext(
                "%(count)s invitation sent.", "%(count)s invitations sent.", len(made) - failed
            ) % {"count": len(made) - failed}
        messages.success(
            request,
            done
            + (
                " "
                + _("%(count)s skipped (already invited or already with an account).") % {"count": skipped}
                if skipped
                else ""
            ),  # fmt: skip
        )
        return redirect(request.get_full_path())
    # Every officer without an account: those with an e-mail can be invited; any of them can be
    # given an activation link or sheet (no e-mail needed).
    officers = Officer.objects.in_scope(request.user).filter(user__isnull=True)
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    officers = (
        officers.select_related("unit")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True),
                to_attr="open_invitations",
            ),
            Prefetch("activation_codes", queryset=ActivationCode.objects.open(), to_attr="open_codes"),
        )
        .sorted_by_name()
    )
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    for officer in page:
        officer.invitation = officer.open_invitations[0] if officer.open_invitations else None
        officer.activation_code = officer.open_codes[0] if officer.open_codes else None
        officer.invitation_to_old_address = officer.invitation is not None and not (
            services.is_for_current_address(officer.invitation, officer)
        )
    unsent = (
        Invitation.objects.filter(officer__in=Officer.objects.in_scope(request.user), sent_at__isnull=True)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .exclude(send_error="")
        .count()
    )
    return render(
        request,
        "accounts/invitations/list.html",
        {
            "page_obj": page,
            "form": form,
            "unit": unit,
            "unsent_message": _failed_message(unsent) if unsent else "",
            "confirm_all": confirm_all,
            "activations": recent_activations(request.user, unit),
        },
    )


def recent_activations(user, unit, limit: int = 20):
    """The latest accounts activated with a code, in scope (and in ``unit``'s subtree): the
    activation log managers read. One query."""
    used = ActivationCode.objects.used().filter(officer__in=Officer.objects.in_scope(user))
    if unit is not None:
        used = used.filter(officer__unit__path__startswith=unit.path)
    return list(used.select_related("officer", "unit", "created_by").order_by("-used_at", "-id")[:limit])


def _failed_message(count: int) -> str:
    return ngettext(
        "%(count)s invitation could not be sent (the mail server refused it or could not be reached). "
        "It is marked “Not sent” below; use “Send again” later.",
        "%(count)s invitations could not be sent (the mail server refused them or could not be reached). "
        "They are marked “Not sent” below; use “Send again” later.",
        count,
    ) % {"count": count}


@login_required
@require_POST
def invitation_resend(request, pk: int):
    _require_roster_access(request.user)
    invitation = (
        Invitation.objects.filter(pk=pk, officer__in=Officer.objects.in_scope(request.user))
        .select_related("officer")
        .first()
    )
    if invitation is None:
        raise Http404
    try:
        invitation = services.resend_invitation(invitation=invitation, by=request.user)
    except services.InvitationUsed:
        messages.error(request, _("This invitation has already been used."))
    except services.NoAddress:
        messages.error(
            request,
            _("%(name)s has no e-mail address on the roster any more; the invitation was not sent.")
            % {"name": invitation.officer.full_name},
        )
    except services.ResendTooSoon:
        messages.info(
            request,
            _("The invitation to %(email)s was sent moments ago; wait a minute before sending it again.")
            % {"email": invitation.email},
        )
    else:
        invitation.refresh_from_db(fields=["send_error"])
        if invitation.send_error:
            messages.error(
                request,
                _("The invitation to %(email)s could not be sent; try again later.")
                % {"email": invitation.email},
            )
        else:
            messages.success(
                request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
            )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:invitation_list")
    return redirect(target)


def invitation_accept(request, key: str):
    """The link in the e-mail: allauth's sign-up form with the invited address locked."""
    invitation = Invitation.objects.select_related("officer").filter(key=key).first()
    problem = None
    if invitation is None:
        problem = _("This invitation link is not valid. Check that you copied the whole link.")
    elif invitation.accepted_at or invitation.officer.user_id:
        problem = _("This invitation has already been used. Sign in with your e-mail address and password.")
    elif invitation.revoked_at or invitation.is_expired:
        problem = _("This invitation has expired. Ask your union to send it again.")
    elif not services.is_for_current_address(invitation, invitation.officer):
        # The roster's address was corrected after this link went out: it may have reached someone else.
        problem = _(
            "This invitation was sent to an e-mail address that is no longer on the roster. "
            "Ask your union to send it again."
        )
    elif get_user_model().objects.filter(email__iexact=invitation.email).exists():
        problem = _("An account with this e-mail address already exists. Sign in, or reset your password.")
    if problem:
        return render(request, "accounts/invitations/accept_invalid.html", {"problem": problem}, status=410)
    if request.user.is_authenticated:
        from django.contrib.auth import logout

        logout(request)
    request.session[SESSION_KEY] = key
    form = SignupForm(request.POST or None, initial={"email": invitation.email})
    form.fields["email"].disabled = True  # the invited address, whatever is posted
    if request.method == "POST" and form.is_valid():
        user = form.save(request)  # the account adapter links the officer
        request.session.pop(SESSION_KEY, None)
        # Straight to "my training this year": what the new account is for.
        return complete_signup(request, user=user, redirect_url=reverse("learn:dashboard"))
    return render(request, "accounts/invitations/accept.html", {"form": form, "invitation": invitation})


# --- Activation without e-mail: sheets and links (accounts.activation) --------------------------


def _unit_in_scope(user, code: str) -> Unit:
    """The unit with ``code`` if the user may see it; a unit outside the scope is a 404, the
    same as one that does not exist."""
    code = (code or "").strip()[:64]
    unit = visible_units(user).filter(code=code).first() if code and "\x00" not in code else None
    if unit is None:
        raise Http404
    return unit


@login_required
@require_POST
def activation_sheet(request):
    """The activation sheet (PDF) of a unit: fresh codes for its officers without an account,
    superseding their earlier codes. POST only: printing changes which codes work."""
    from django.http import HttpResponse

    from . import activation
    from .sheets import render_sheet

    _require_roster_access(request.user)
    unit = _unit_in_scope(request.user, request.GET.get("unit") or request.POST.get("unit"))
    subtree = (request.GET.get("subtree") or request.POST.get("subtree")) == "1"
    officers = list(activation.sheet_officers(request.user, unit, subtree=subtree))
    back = reverse("accounts:invitation_list") + f"?unit={unit.code}"
    if not officers:
        messages.info(
            request,
            _("Every officer of %(unit)s already has an account: there is no activation sheet to print.")
            % {"unit": unit.name},
        )
        return redirect(back)
    if len(officers) > activation.sheet_inline_limit():
        # Hundreds of cards take longer than a page should wait: a worker prints them.
        job = ActivationSheet.objects.create(
            requested_by=request.user, unit=unit, subtree=subtree, officer_count=len(officers)
        )
        enqueue(build_activation_sheet, job.pk)
        return redirect("accounts:activation_sheet_status", pk=job.pk)
    issued = activation.issue_codes(officers=officers, by=request.user)
    pdf = render_sheet(issued)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kich-hoat-{unit.code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def activation_sheet_status(request, pk: int):
    """The page of a sheet being printed by a worker (polled by core's job-progress.js)."""
    from django.conf import settings
    from django.http import JsonResponse

    from core.jobs import job_payload

    job = get_object_or_404(ActivationSheet.objects.select_related("unit"), pk=pk, requested_by=request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(
            job_payload(job, download_url=reverse("accounts:activation_sheet_download", args=[job.pk]))
        )
    return render(
        request,
        "accounts/activation/sheet_status.html",
        {"job": job, "retention_days": settings.GENERATED_FILE_RETENTION_DAYS},
    )


@login_required
def activation_sheet_download(request, pk: int):
    from django.http import FileResponse

    job = get_object_or_404(ActivationSheet, pk=pk, requested_by=request.user)
    if not job.has_file:
        return redirect("accounts:activation_sheet_status", pk=job.pk)
    response = FileResponse(
        job.absolute_path.open("rb"),
        as_attachment=True,
        filename=job.file_path.split("-", 1)[1],
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def activation_link(request, pk: int):
    """A fresh activation link for one officer without an account (superseding their earlier
    code), shown with a ready message to copy or share in Zalo."""
    from . import activation

    _require_roster_access(request.user)
    officer = Officer.objects.in_scope(request.user).select_related("unit").filter(pk=pk).first()
    if officer is None:
        raise Http404
    try:
        issued = activation.issue_code(officer=officer, by=request.user)
    except activation.HasAccount:
        messages.info(request, _("%(name)s already has an account.") % {"name": officer.full_name})
        return redirect("accounts:invitation_list")
    from django.utils import formats, timezone

    expires = formats.date_format(timezone.localtime(issued.expires_at).date(), "SHORT_DATE_FORMAT")
    text = _(
        "Hello %(name)s, please activate your union training account: %(link)s "
        "(code: %(code)s, valid until %(date)s)."
    ) % {"name": officer.full_name, "link": issued.url, "code": issued.display, "date": expires}
    response = render(
        request,
        "accounts/activation/link.html",
        {"officer": officer, "issued": issued, "share_text": text, "expires": expires},
    )
    response["Cache-Control"] = "no-store"
    return response


class SignOutView(LogoutView):
    """allauth's sign-out, whose answer also tells the browser to forget what this account left
    on the device: the HTTP cache and the site's storage (the courses saved for offline reading,
    the queue of unsent completions, the service worker, which the next page registers again).
    On a shared phone the next person then finds neither. The page's script has already sent the
    queued completions and deleted the saved courses (static/js/offline.js); this is the
    guarantee for a browser where it did not run."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
