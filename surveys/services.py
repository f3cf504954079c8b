"""Writing survey answers: who may answer, and recording one answer."""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from .models import SurveyPage, SurveyState, SurveySubmission


class Refusal(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("This survey is not open yet.")
    CLOSED = "closed", _("This survey is closed.")
    SIGN_IN_REQUIRED = "sign_in", _("Please sign in to answer this survey.")
    NOT_AN_OFFICER = "not_officer", _("Only officers on the union roster can answer this survey.")
    ALREADY_ANSWERED = "answered", _("You have already answered this survey. Thank you!")


# HTTP status of a refused POST (a GET shows the same page with 200).
REFUSAL_STATUS = {
    Refusal.NOT_YET_OPEN: 403,
    Refusal.CLOSED: 403,
    Refusal.SIGN_IN_REQUIRED: 403,
    Refusal.NOT_AN_OFFICER: 403,
    Refusal.ALREADY_ANSWERED: 409,
}


class AlreadyAnswered(Exception):
    """The officer already has an answer to this survey."""


class SurveyNotOpen(Exception):
    """Answers are accepted only between the survey's open and close dates."""


def refusal_reason(page: SurveyPage, *, user, officer) -> str | None:
    """Why this user may not answer now, or None if they may. Reads at most one row."""
    state = page.state
    if state == SurveyState.NOT_YET_OPEN:
        return Refusal.NOT_YET_OPEN
    if state == SurveyState.CLOSED:
        return Refusal.CLOSED
    if page.is_for_officers:
        if not user.is_authenticated:
            return Refusal.SIGN_IN_REQUIRED
        if officer is None:
            return Refusal.NOT_AN_OFFICER
        if SurveySubmission.objects.filter(page=page, officer=officer).exists():
            return Refusal.ALREADY_ANSWERED
    return None


def submit_answer(*, page: SurveyPage, form, officer=None) -> SurveySubmission:
    """Record one answer from a validated form.

    Officers-only surveys: the answer carries the officer and a snapshot of their
    home unit; the database's unique constraint is the arbiter, so of two
    simultaneous submissions exactly one is kept and the other raises
    ``AlreadyAnswered``. Surveys open to anyone keep no trace of who answered.
    Raises ``SurveyNotOpen`` outside the open/close dates, whatever the caller checked.
    """
    if page.state != SurveyState.OPEN:
        raise SurveyNotOpen
    if page.is_for_officers:
        if officer is None:
            raise ValueError("An officers-only survey needs the answering officer.")
        who = {"officer": officer, "unit_id": officer.unit_id, "user_id": officer.user_id}
    else:
        who = {}
    try:
        with transaction.atomic():
            submission = SurveySubmission.objects.create(page=page, form_data=form.cleaned_data, **who)
    except IntegrityError as error:
        if page.is_for_officers and SurveySubmission.objects.filter(page=page, officer=officer).exists():
            raise AlreadyAnswered from error
        raise
    if page.to_address:
        transaction.on_commit(lambda: page.send_mail(form))
    return submission
