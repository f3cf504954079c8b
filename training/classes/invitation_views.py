"""Pages of class invitations: inviting from the untrained list or a unit's roster, answering by
link or on /learn/, the organiser's removal, the background batch's progress, the sign-in sheet
and the personal check-in QR it carries.

Thin views: scope is checked here (a manager invites only officers in their subtree, and only
officers under the class's organising unit; anything else is a 404), the rules are in
``training.classes.invitations``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.jobs import JobStatus, status_payload
from organizations.models import Officer
from organizations.selectors import officers_for, units_for

from ..audit import selectors as audit_selectors
from ..audit.requests import audit_request
from ..models import ClassInvitation, InvitationBatch, InvitationState, RecordSource
from . import invitations, services, sheet
from .calendar import class_ics
from .forms import InviteForm, RosterForm
from .views import _class_for, _require_organiser

MAX_IDS = 5000  # ids posted by hand; "all listed" carries the list's filters instead


# --- Who is being invited ---------------------------------------------------------------------------


def _officer_ids(request, data) -> tuple[list[int], str]:
    """The officers the invite screen is about, in the viewer's scope, and where they came from.

    ``officer`` ids (ticked on a list), or ``all=audit`` with the audit list's filters (every
    officer the list shows), or ``roster=CODE`` (the unit's roster, its subtree)."""
    viewer = request.user
    if data.get("all") == "audit":
        audit = audit_request(viewer, data)
        p = audit.params
        rows = audit_selectors.officer_list(
            audit.source,
            viewer,
            audit.node,
            target=p["target"],
            role=p["role"],
            search=p["q"],
            status=p["status"],
            sort="name",
            only_here=bool(p["here"]),
        )
        return [row["officer_id"] for row in rows], "audit"
    if code := data.get("roster", "").replace("\x00", ""):
        unit = units_for(viewer).filter(code=code).first()
        if unit is None:
            raise Http404
        return list(officers_for(viewer, unit=unit).values_list("pk", flat=True)), "roster"
    posted = data.getlist("officer")
    if len(posted) > MAX_IDS or not all(v.isdigit() and len(v) < 13 for v in posted):
        raise Http404
    ids = list(dict.fromkeys(int(v) for v in posted))
    found = set(Officer.objects.in_scope(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise Http404  # someone outside the viewer's scope, typed in by hand
    return ids, "ticked"


def _source_fields(data) -> list[tuple[str, str]]:
    """The hidden fields that say again who is invited, when the form is shown once more."""
    keep = ("all", "roster", "unit", "year", "target", "role", "q", "status", "here", "officer")
    return [(key, value) for key in keep for value in data.getlist(key) if value]


@login_required
def invite(request):
    """Choose a class (or create one) and invite the officers chosen on a list."""
    _require_organiser(request.user)
    data = request.POST if request.method == "POST" else request.GET
    ids, origin = _officer_ids(request, data)
    form = InviteForm(request.POST or None, user=request.user)
    warnings = None
    too_many = len(ids) > invitations.MOST_AT_ONCE
    if request.method == "POST" and ids and not too_many and form.is_valid():
        klass = form.cleaned_data.get("in_person_class")
        unit = klass.organising_unit if klass else form.cleaned_data["organising_unit"]
        outside = invitations.outside_unit(ids, unit)
        if outside:
            form.add_error(
                None,
                _(
                    "%(count)s of them are not under %(unit)s, which organises the class: "
                    "a class invites only its own units' officers."
                )
                % {"count": len(outside), "unit": unit.name},
            )
        else:
            sessions, start, end = form.when()
            warnings = invitations.invite_warnings(
                ids,
                year=start.year,
                sessions=sessions,
                start=start,
                end=end,
                exclude_class_id=klass.pk if klass else None,
            )
            if not warnings or form.cleaned_data.get("confirm"):
                with transaction.atomic():
                    klass = form.save_class(by=request.user)
                    return _send(request, klass, ids)
    return render(
        request,
        "training/classes/invite.html",
        {
            "form": form,
            "count": len(ids),
            "origin": origin,
            "source_fields": _source_fields(data),
            "warnings": warnings,
            "background": len(ids) > invitations.BACKGROUND_ABOVE,
            "too_many": too_many,
            "roster_form": RosterForm(user=request.user, auto_id="roster_%s"),
            "most": invitations.MOST_AT_ONCE,
        },
    )


def _send(request, klass, ids):
    sending = invitations.invite_or_queue(in_person_class=klass, officer_ids=ids, by=request.user)
    if sending.batch:
        return redirect("training:invitation_batch", sending.batch.pk)
    messages.success(request, _("%(count)s officer(s) invited.") % {"count": sending.invited})
    return redirect("training:class_detail", klass.pk)


def _batch_for(user, pk: int) -> InvitationBatch:
    return get_object_or_404(
        InvitationBatch.objects.select_related("in_person_class"), pk=pk, requested_by=user
    )


def _batch_payload(batch: InvitationBatch) -> dict:
    return status_payload(
        status=batch.status,
        label=JobStatus(batch.status).label,
        progress=batch.progress,
        message=_("%(done)s of %(total)s invited") % {"done": batch.invited, "total": batch.total},
        running=batch.is_active,
    )


@login_required
def invitation_batch(request, pk: int):
    batch = _batch_for(request.user, pk)
    if (
        request.headers.get("Accept", "").startswith("application/json")
        or request.GET.get("format") == "json"
    ):
        return JsonResponse(_batch_payload(batch))
    return render(
        request, "training/classes/invite_batch.html", {"batch": batch, "klass": batch.in_person_class}
    )


# --- The organiser's list ---------------------------------------------------------------------------


@login_required
@require_POST
def invitation_remove(request, pk: int, invitation_pk: int):
    klass = _class_for(request.user, pk)
    invitation = get_object_or_404(klass.invitations.select_related("officer"), pk=invitation_pk)
    invitations.remove(invitation=invitation, by=request.user)
    messages.success(request, _("%(name)s was taken off the list.") % {"name": invitation.officer.full_name})
    return redirect("training:class_detail", klass.pk)


@login_required
def sign_in_sheet(request, pk: int):
    klass = _class_for(request.user, pk)
    pdf = sheet.render_sign_in_sheet(klass)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-ky-lop-{klass.pk}.pdf"'
    return response


@login_required
def attend(request, token: str):
    """The organiser scans an officer's QR on the sign-in sheet: confirm, then mark them present."""
    try:
        class_id, officer_id = signing.loads(token, salt=sheet.ATTEND_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    klass = _class_for(request.user, class_id)
    invitation = get_object_or_404(klass.invitations.select_related("officer__unit"), officer_id=officer_id)
    outcome = None
    if request.method == "POST":
        try:
            made = services.record_attendance(
                in_person_class=klass,
                officers=[invitation.officer],
                source=RecordSource.ATTENDANCE,
                recorded_by=request.user,
            )
        except services.ClassNotStartedError:
            outcome = "not_started"
        else:
            outcome = "present" if made else "already_present"
    present = klass.records.valid().filter(officer_id=officer_id).exists()
    return render(
        request,
        "training/classes/attend.html",
        {"klass": klass, "officer": invitation.officer, "outcome": outcome, "present": present},
    )


# --- Answering ----------------------------------------------------------------------------------------


def invitation_answer(request, token: str):
    """The page of the link in the message: no sign-in; accept or decline once."""
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        raise Http404
    closed = invitations.is_closed(invitation.in_person_class)
    used = invitation.link_used_at is not None
    if request.method == "POST" and not (closed or used):
        accept = request.POST.get("answer") == "accept"
        try:
            invitation = invitations.respond(invitation=invitation, accept=accept, by_link=True)
        except invitations.InvitationClosedError:
            closed = True
        else:
            messages.success(
                request, _("Your answer was saved: %(state)s.") % {"state": invitation.get_state_display()}
            )
            return redirect("training:invitation_answer", token)
    return render(
        request,
        "training/classes/invitation_answer.html",
        {
            "invitation": invitation,
            "klass": invitation.in_person_class,
            "sessions": invitation.in_person_class.sessions.all(),
            "closed": closed,
            "used": used,
            "token": token,
            "removed": invitation.state == InvitationState.REMOVED,
        },
    )


def invitation_ics(request, token: str):
    invitation = invitations.invitation_for_token(token)
    if invitation is None:
        raise Http404
    response = HttpResponse(
        class_ics(invitation.in_person_class), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="lop-{invitation.in_person_class_id}.ics"'
    return response


@login_required
@require_POST
def my_invitation_answer(request, pk: int):
    """A signed-in officer answers on /learn/."""
    officer = Officer.objects.for_user(request.user)
    if officer is None:
        raise Http404
    invitation = get_object_or_404(ClassInvitation, pk=pk, officer=officer)
    accept = request.POST.get("answer") == "accept"
    try:
        invitation = invitations.respond(invitation=invitation, accept=accept)
    except invitations.InvitationClosedError:
        messages.error(
            request, _("Answers to this class are closed: it has started, or you were taken off its list.")
        )
    else:
        messages.success(
            request, _("Your answer was saved: %(state)s.") % {"state": invitation.get_state_display()}
        )
    return redirect(reverse("learn:dashboard") + "#class-invitations")
