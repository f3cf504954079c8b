"""Pages of the ledger: an officer's history (void, correct) for organisers, and my records.

Thin views: scope is checked here (outside scope is a 404, also by URL), writes go
through ``training.ledger.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.models import Officer
from organizations.scope import is_auditor, is_manager

from ..audit.close_year import is_closed
from ..models import TrainingRecord
from . import selectors, services
from .forms import CorrectionForm, ReasonForm

PAGE_SIZE = 50


def _require_organiser(user) -> None:
    if not (is_auditor(user) or is_manager(user)):
        raise PermissionDenied


def _officer_in_scope(user, pk: int) -> Officer:
    _require_organiser(user)
    return get_object_or_404(Officer.objects.in_scope(user).select_related("unit"), pk=pk)


def _record_for(user, pk: int) -> TrainingRecord:
    _require_organiser(user)
    return get_object_or_404(
        TrainingRecord.objects.filter(officer__in=Officer.objects.in_scope(user)).select_related("officer"),
        pk=pk,
    )


def _warn_if_closed(request, *years: int) -> None:
    """A change to the ledger of a closed year is kept, but that year's audit is frozen: say so."""
    for year in sorted(set(years)):
        if is_closed(year):
            messages.warning(
                request,
                _(
                    "The year %(year)s is closed: its audit is frozen and does not change with this "
                    "record. Reopen the year to recompute it."
                )
                % {"year": year},
            )


@login_required
def officer_records(request, officer_pk: int):
    """Every record of an officer, voided ones included, with who/when/why."""
    officer = _officer_in_scope(request.user, officer_pk)
    records = selectors.record_history(officer.training_records.all())
    page = selectors.with_names(Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(
        request,
        "training/records/officer_ledger.html",
        {"officer": officer, "page_obj": page, "void_form": ReasonForm()},
    )


@login_required
@require_POST
def record_void(request, pk: int):
    record = _record_for(request.user, pk)
    form = ReasonForm(request.POST)
    if record.is_void:
        messages.error(request, _("This record is already void."))
    elif form.is_valid():
        services.void_record(record=record, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The record was voided. It stays in the history."))
        _warn_if_closed(request, record.year)
    else:
        messages.error(request, _("Give a reason to void a record."))
    return redirect("training:officer_records", record.officer_id)


@login_required
def record_correct(request, pk: int):
    record = _record_for(request.user, pk)
    if record.is_void:
        raise Http404
    form = CorrectionForm.for_record(record, data=request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        services.correct_record(
            record=record,
            by=request.user,
            reason=data["reason"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            score=data["score"],
        )
        messages.success(request, _("The correction was recorded; the old record is kept, voided."))
        _warn_if_closed(request, record.year, data["completed_on"].year)
        return redirect("training:officer_records", record.officer_id)
    return render(request, "training/records/correct.html", {"record": record, "form": form})


@login_required
def my_records(request):
    """A learner's own records, read-only."""
    officer = Officer.objects.for_user(request.user)
    page = None
    if officer is not None:
        records = selectors.record_history(officer.training_records.all())
        page = selectors.with_names(Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")))
    return render(request, "training/records/mine.html", {"officer": officer, "page_obj": page})
