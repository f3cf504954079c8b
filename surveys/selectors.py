"""Reading survey results for the results page and the export.

Scope: auditors see every answer, including anonymous ones; unit managers see
only answers whose unit snapshot lies in a subtree they manage (anonymous
answers have no unit, so never); everyone else sees nothing. The screen and
the .xlsx export both read ``survey_results``, so their numbers agree.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.numbers import percent
from organizations.models import Unit
from organizations.scope import is_auditor, is_manager, scope_filter

from .models import CHOICE_FIELD_TYPES, SurveyPage, SurveySubmission

PREVIEW_TEXT_ANSWERS = 5


@dataclass
class ChoiceCount:
    label: str
    count: int
    percent: Decimal | None
    # An answer no longer among the question's choices (the editor changed them).
    is_former_choice: bool = False


@dataclass
class ChoiceQuestion:
    name: str
    label: str
    field_type: str
    choices: list[ChoiceCount]
    answered: int


@dataclass
class TextAnswer:
    text: str
    submit_time: datetime
    unit_name: str


@dataclass
class TextQuestion:
    name: str
    label: str
    count: int
    latest: list[TextAnswer]


@dataclass
class UnitBreakdown:
    unit: Unit | None  # None: anonymous answers
    count: int
    is_selected_unit: bool = False


@dataclass
class SurveyResults:
    page: SurveyPage
    unit: Unit | None
    total: int
    choice_questions: list[ChoiceQuestion] = field(default_factory=list)
    text_questions: list[TextQuestion] = field(default_factory=list)
    by_unit: list[UnitBreakdown] = field(default_factory=list)
    includes_anonymous: bool = False


def can_see_results(user) -> bool:
    return is_auditor(user) or is_manager(user)


def get_survey_for_results(user, page_id: int) -> SurveyPage:
    """The survey, if this user may see its results at all; else 404 (never 403: no hint it exists)."""
    if not can_see_results(user):
        raise Http404
    try:
        return SurveyPage.objects.get(pk=page_id)
    except SurveyPage.DoesNotExist:
        raise Http404 from None


def get_scope_unit(user, unit_id) -> Unit | None:
    """The unit the results are narrowed to (``?unit=``); 404 when outside the user's scope."""
    if not unit_id:
        return None
    try:
        return Unit.objects.filter(scope_filter(user)).get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_submissions(page: SurveyPage, user, unit: Unit | None = None) -> QuerySet[SurveySubmission]:
    """Answers to ``page`` this user may see, narrowed to ``unit``'s subtree if given."""
    submissions = SurveySubmission.objects.filter(page=page)
    if not is_auditor(user):
        submissions = submissions.filter(scope_filter(user, "unit__path"))
    if unit is not None:
        submissions = submissions.filter(unit__path__startswith=unit.path)
    return submissions


def _choice_options(page: SurveyPage, form_field) -> list[str]:
    if form_field.field_type == "checkbox":
        return [_("Yes"), _("No")]
    builder = page.form_builder([form_field])
    return [str(value) for value, _label in builder.get_formatted_field_choices(form_field)]


def answer_values(form_field, value) -> list[str]:
    if value in (None, "", []):
        return []
    if form_field.field_type == "checkbox":
        return [_("Yes") if value else _("No")]
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _percent(count: int, total: int) -> Decimal | None:
    """The share of the answers in scope: two decimals, halves rounded up; None without answers."""
    return percent(count, total)


def survey_results(page: SurveyPage, user, unit: Unit | None = None) -> SurveyResults:
    """Counts per choice, free-text previews and answers per unit, within the user's scope.

    A fixed number of queries whatever the number of answers: the questions, one
    pass over the answers (with the unit name joined) and the units of the
    breakdown. Percentages are of the answers in scope (checkboxes can add up
    to more than 100 %).
    """
    form_fields = list(page.get_form_fields())
    rows = list(
        visible_submissions(page, user, unit)
        .order_by("-submit_time", "-pk")
        .values_list("form_data", "submit_time", "unit__name", "unit__path")
    )
    total = len(rows)
    results = SurveyResults(page=page, unit=unit, total=total, includes_anonymous=is_auditor(user))

    for form_field in form_fields:
        name = form_field.clean_name
        if form_field.field_type in CHOICE_FIELD_TYPES:
            counter: Counter[str] = Counter()
            answered = 0
            for data, _time, _unit, _path in rows:
                values = answer_values(form_field, data.get(name))
                answered += bool(values)
                counter.update(set(values))
            options = _choice_options(page, form_field)
            choices = [
                ChoiceCount(label, counter[label], _percent(counter[label], total)) for label in options
            ]
            choices += [
                ChoiceCount(label, count, _percent(count, total), is_former_choice=True)
                for label, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
                if label not in options
            ]
            results.choice_questions.append(
                ChoiceQuestion(name, form_field.label, form_field.field_type, choices, answered)
            )
        else:
            answers = [
                TextAnswer(text, time, unit_name or "")
                for data, time, unit_name, _path in rows
                for text in answer_values(form_field, data.get(name))
                if text
            ]
            results.text_questions.append(
                TextQuestion(name, form_field.label, len(answers), answers[:PREVIEW_TEXT_ANSWERS])
            )

    results.by_unit = _breakdown(rows, unit)
    return results


def _breakdown(rows, unit: Unit | None) -> list[UnitBreakdown]:
    """Answers grouped by the unit one level below ``unit`` (or by upper-level union)."""
    step = Unit.steplen
    depth = (unit.depth + 1) if unit is not None else 2
    counts: Counter[str | None] = Counter()
    for _data, _time, _name, path in rows:
        if path is None:
            counts[None] += 1
        else:
            counts[path[: depth * step] if len(path) >= depth * step else path] += 1
    units = {u.path: u for u in Unit.objects.filter(path__in=[p for p in counts if p])}
    breakdown = [
        UnitBreakdown(units.get(path), count, is_selected_unit=unit is not None and path == unit.path)
        for path, count in counts.items()
        if path is None or path in units
    ]
    breakdown.sort(key=lambda row: (row.unit is None, -row.count, row.unit.name if row.unit else ""))
    return breakdown


def text_answers(page: SurveyPage, user, question_name: str, unit: Unit | None = None):
    """The non-empty answers to one free-text question, newest first, as a queryset to page through."""
    form_field = next((f for f in page.get_form_fields() if f.clean_name == question_name), None)
    if form_field is None or form_field.field_type in CHOICE_FIELD_TYPES:
        raise Http404
    key = f"form_data__{question_name}"
    answers = (
        visible_submissions(page, user, unit)
        .filter(**{f"{key}__isnull": False})
        .exclude(**{key: ""})
        .exclude(**{key: None})
        .select_related("unit")
        .order_by("-submit_time", "-pk")
    )
    return form_field, answers


def as_text_answers(form_field, submissions) -> list[TextAnswer]:
    """One page of ``text_answers`` as displayable answers (unit joined, no extra query)."""
    return [
        TextAnswer(
            "; ".join(answer_values(form_field, submission.form_data.get(form_field.clean_name))),
            submission.submit_time,
            submission.unit.name if submission.unit_id else "",
        )
        for submission in submissions
    ]


def survey_answer_counts(user) -> dict[int, int]:
    """Number of answers per survey page the user may see, in one query."""
    submissions = SurveySubmission.objects.all()
    if not is_auditor(user):
        submissions = submissions.filter(scope_filter(user, "unit__path"))
    return dict(submissions.values_list("page_id").annotate(n=Count("id")).values_list("page_id", "n"))


def answers_for_export(page: SurveyPage, user, unit: Unit | None = None):
    """Every visible answer with its unit, oldest first, streamed for the export."""
    return (
        visible_submissions(page, user, unit)
        .select_related("unit")
        .order_by("submit_time", "pk")
        .only("form_data", "submit_time", "unit__name")
    )
