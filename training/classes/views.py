"""Pages for organisers of in-person classes: the class list and form, sessions, attendance
(ticked or uploaded), the check-in QR code, and the learner's check-in page.

Thin views: scope is checked here (outside scope is a 404, also by URL), writes go
through ``training.classes.services``, the sheet is read by ``training.classes.attendance_import``.
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.models import Officer
from organizations.scope import is_auditor, is_manager
from organizations.search import search_words
from organizations.selectors import officers_for, units_for

from ..ledger.forms import ReasonForm
from ..ledger.selectors import officers_with_history
from ..models import ClassSession, InPersonClass, InvitationState, RecordSource, TrainingRecord
from . import invitations, services
from .attendance_import import blank_template, read_attendance_sheet
from .forms import AttendanceSheetForm, ClassSessionForm, InPersonClassForm

PAGE_SIZE = 50


def search_text(text: str) -> str:
    """What a search box's text is searched for: its first few words, without NUL characters
    (which PostgreSQL refuses), so a pasted wall of text is an ordinary search, never an error."""
    return " ".join(search_words(text))


def _require_organiser(user) -> None:
    if not (is_auditor(user) or is_manager(user)):
        raise PermissionDenied


def _class_for(user, pk: int) -> InPersonClass:
    _require_organiser(user)
    return get_object_or_404(
        InPersonClass.objects.organised_within(user).select_related("organising_unit"), pk=pk
    )


# --- classes -----------------------------------------------------------------------------------------


@login_required
def class_list(request):
    _require_organiser(request.user)
    search = search_text(request.GET.get("q", ""))
    classes = (
        InPersonClass.objects.organised_within(request.user)
        .select_related("organising_unit")
        .annotate(attendees=Count("records", filter=Q(records__voided_at__isnull=True)))
        .order_by("-start_date", "-id")
    )
    for word in search.split():
        classes = classes.filter(
            Q(title__icontains=word) | Q(topic__icontains=word) | Q(place__icontains=word)
        )
    page = Paginator(classes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/classes/list.html", {"page_obj": page, "search": search})


@login_required
def class_create(request):
    _require_organiser(request.user)
    form = InPersonClassForm(request.POST or None, user=request.user)
    if form.is_valid():
        klass = form.save(commit=False)
        klass.created_by = request.user
        klass.save()
        messages.success(request, _("The class was created. Add its sessions, then record attendance."))
        return redirect("training:class_detail", klass.pk)
    return render(request, "training/classes/form.html", {"form": form})


@login_required
def class_edit(request, pk: int):
    klass = _class_for(request.user, pk)
    form = InPersonClassForm(request.POST or None, instance=klass, user=request.user)
    if form.is_valid():
        form.save()
        invitations.after_class_edited(klass, form.changed_data)
        messages.success(request, _("The class was saved. Records already made keep what they copied."))
        return redirect("training:class_detail", klass.pk)
    return render(request, "training/classes/form.html", {"form": form, "klass": klass})


@login_required
def class_detail(request, pk: int):
    klass = _class_for(request.user, pk)
    records = (
        klass.records.valid()
        .select_related("officer__unit", "recorded_by")
        .order_by("officer__sort_key", "id")
    )
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    now = timezone.now()
    sessions = [(s, s.is_running(now), s.has_ended(now)) for s in klass.sessions.all()]
    return render(
        request,
        "training/classes/detail.html",
        {
            "klass": klass,
            "page_obj": page,
            "sessions": sessions,
            "session_form": ClassSessionForm(in_person_class=klass),
            "removed_count": klass.records.exclude(voided_at=None).count(),
            # Someone from another district may have checked in: their history is not the viewer's to open.
            "history_ids": officers_with_history(request.user, [r.officer_id for r in page]),
            "not_started": _not_started(klass),
            **_invitation_context(request, klass),
        },
    )


def _invitation_context(request, klass: InPersonClass) -> dict:
    """The invited list (paged, in name order), the waiting list in its order, the counts and,
    once the class is over, who accepted but has no attendance. A fixed number of queries."""
    listed = klass.invitations.select_related("officer__unit").order_by("officer__sort_key", "id")
    invited_page = Paginator(listed, 100).get_page(request.GET.get("invited_page"))
    waitlist = list(
        klass.invitations.filter(state=InvitationState.WAITLISTED)
        .select_related("officer")
        .order_by("waitlisted_at", "id")[:100]
    )
    absent = []
    if klass.end_date < timezone.localdate():
        absent = list(
            klass.invitations.filter(state=InvitationState.ACCEPTED)
            .exclude(
                Exists(
                    TrainingRecord.objects.valid().filter(
                        in_person_class=klass, officer_id=OuterRef("officer_id")
                    )
                )
            )
            .select_related("officer__unit")
            .order_by("officer__sort_key", "id")[:500]
        )
    return {
        "invited_page": invited_page,
        "waitlist": waitlist,
        "counts": invitations.class_counts(klass),
        "absent": absent,
        "class_over": klass.end_date < timezone.localdate(),
    }


@login_required
@require_POST
def session_add(request, pk: int):
    klass = _class_for(request.user, pk)
    form = ClassSessionForm(request.POST, in_person_class=klass)
    if form.is_valid():
        form.save()
        messages.success(request, _("The session was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("training:class_detail", klass.pk)


# --- attendance --------------------------------------------------------------------------------------


def _not_started_message(klass: InPersonClass) -> str:
    return _(
        "This class starts on %(date)s: attendance can be recorded from that day, not before, "
        "so that a class yet to be held never counts toward the requirement."
    ) % {"date": date_format(klass.start_date, "SHORT_DATE_FORMAT")}


def _not_started(klass: InPersonClass) -> str:
    """The reason attendance cannot be recorded yet, or "" once the class has started."""
    return "" if klass.has_started(timezone.localdate()) else _not_started_message(klass)


@login_required
def attendance(request, pk: int):
    """Tick officers in the organiser's scope; a paged, searchable list in Vietnamese name order."""
    klass = _class_for(request.user, pk)
    if request.method == "POST":
        ids = {int(i) for i in request.POST.getlist("officer") if i.isdigit()}
        officers = list(Officer.objects.in_scope(request.user).filter(pk__in=ids))
        if len(officers) != len(ids):
            raise Http404  # someone outside the organiser's scope, typed in by hand
        try:
            made = services.record_attendance(
                in_person_class=klass,
                officers=officers,
                source=RecordSource.ATTENDANCE,
                recorded_by=request.user,
            )
        except services.ClassNotStartedError:
            messages.error(request, _not_started_message(klass))
        else:
            messages.success(request, _("%(count)s officer(s) marked present.") % {"count": len(made)})
        return redirect(request.get_full_path())
    search = search_text(request.GET.get("q", ""))
    units = units_for(request.user)
    code = request.GET.get("unit", "").replace("\x00", "")
    unit = units.filter(code=code).first() if code else None
    officers = officers_for(request.user, search=search, unit=unit)
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    present = set(
        klass.records.valid()
        .filter(officer_id__in=[o.pk for o in page.object_list])
        .values_list("officer_id", flat=True)
    )
    rows = [(officer, officer.pk in present) for officer in page.object_list]
    return render(
        request,
        "training/classes/attendance.html",
        {
            "klass": klass,
            "page_obj": page,
            "rows": rows,
            "search": search,
            "units": units,
            "unit": unit,
            "not_started": _not_started(klass),
        },
    )


@login_required
@require_POST
def attendance_remove(request, pk: int, record_pk: int):
    klass = _class_for(request.user, pk)
    record = get_object_or_404(klass.records.valid().select_related("officer"), pk=record_pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.remove_attendance(record=record, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was taken off the list.") % {"name": record.officer.full_name})
    else:
        messages.error(request, _("Give a reason to take someone off the list."))
    return redirect("training:class_detail", klass.pk)


@login_required
def attendance_upload(request, pk: int):
    klass = _class_for(request.user, pk)
    form = AttendanceSheetForm(request.POST or None, request.FILES or None)
    sheet = None
    not_started = _not_started(klass)
    if request.method == "POST" and not_started:
        messages.error(request, not_started)
        return redirect("training:class_upload", klass.pk)
    if request.method == "POST" and form.is_valid():
        sheet = read_attendance_sheet(form.cleaned_data["sheet"], user=request.user)
        if sheet.ok:
            try:
                made = services.record_attendance(
                    in_person_class=klass,
                    officers=sheet.officers,
                    source=RecordSource.UPLOAD,
                    recorded_by=request.user,
                )
            except services.ClassNotStartedError:  # the day turned while the sheet was read
                messages.error(request, _not_started_message(klass))
                return redirect("training:class_upload", klass.pk)
            messages.success(
                request,
                _("%(rows)s row(s) read; %(count)s officer(s) newly marked present, the others already were.")
                % {"rows": len(sheet.officers), "count": len(made)},
            )
            return redirect("training:class_detail", klass.pk)
    return render(
        request,
        "training/classes/upload.html",
        {"klass": klass, "form": form, "sheet": sheet, "not_started": not_started},
    )


@login_required
def attendance_template(request, pk: int):
    klass = _class_for(request.user, pk)
    response = HttpResponse(
        blank_template(klass),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="diem-danh-lop-{klass.pk}.xlsx"'
    return response


# --- self check-in -----------------------------------------------------------------------------------


@login_required
def session_qr(request, pk: int, session_pk: int):
    """The organiser's screen: a QR code of the session's check-in URL and who is present."""
    klass = _class_for(request.user, pk)
    session = get_object_or_404(klass.sessions, pk=session_pk)
    if request.method == "POST":
        services.rotate_check_in_token(session=session)
        messages.success(request, _("A new QR code was made; the old one no longer works."))
        return redirect("training:session_qr", klass.pk, session.pk)
    url = request.build_absolute_uri(reverse("training:check_in", args=[session.check_in_token]))
    now = timezone.now()
    return render(
        request,
        "training/classes/qr.html",
        {
            "klass": klass,
            "session": session,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=6, dark="#111", light="#fff"),
            "running": session.is_running(now),
            "ended": session.has_ended(now),
            "present_count": klass.records.valid().count(),
        },
    )


@login_required
def check_in(request, token: str):
    """A learner's phone after scanning: confirm, then be marked present (POST)."""
    if "\x00" in token:  # no code has one (and PostgreSQL refuses the character)
        raise Http404
    session = get_object_or_404(
        ClassSession.objects.select_related("in_person_class__organising_unit"), check_in_token=token
    )
    officer = Officer.objects.for_user(request.user)
    outcome = None
    if request.method == "POST":
        outcome, _record = services.check_in(session=session, user=request.user)
        outcome = outcome.value
    now = timezone.now()
    already = (
        officer is not None
        and TrainingRecord.objects.valid()
        .filter(in_person_class=session.in_person_class, officer=officer)
        .exists()
    )
    return render(
        request,
        "training/classes/check_in.html",
        {
            "session": session,
            "klass": session.in_person_class,
            "officer": officer,
            "outcome": outcome,
            "already": already,
            "running": session.is_running(now),
            "ended": session.has_ended(now),
        },
    )
