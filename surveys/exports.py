"""The .xlsx export of a survey's results, with Vietnamese headers.

The summary sheet is written from ``selectors.survey_results``, the same object
the results page renders, so the numbers on screen and in the file agree. Every cell goes
through ``core.spreadsheets.writing``: a title, label, unit name or answer typed as a formula
(``=HYPERLINK(…)``, ``+…``, ``-…``, ``@…``) is written as text with a leading apostrophe; shares
are numbers with two decimals. The workbook is streamed row by row (write-only), so a survey
with many answers does not have to fit in memory as cell objects.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets.writing import append, cell, new_workbook, workbook_bytes

from . import selectors
from .models import CHOICE_FIELD_TYPES

BOLD = Font(bold=True)


def _answer_value(form_field, value) -> str:
    values = selectors.answer_values(form_field, value)
    return "; ".join(values)


def _bold_row(sheet, values) -> None:
    append(sheet, [cell(sheet, value, font=BOLD) for value in values])


def results_workbook(page, user, unit=None) -> bytes:
    """Summary (counts per choice), answers per unit and every answer, scoped like the results page."""
    results = selectors.survey_results(page, user, unit)
    workbook = new_workbook(write_only=True)

    summary = workbook.create_sheet(_("Summary"))
    for column, width in zip("ABCDE", (48, 40, 18, 12, 22), strict=True):
        summary.column_dimensions[column].width = width
    append(summary, [_("Survey"), page.title])
    append(summary, [_("Scope"), unit.name if unit else _("Everything you may see")])
    append(summary, [_("Number of answers"), results.total])
    append(summary, [_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    append(summary, [])
    _bold_row(
        summary,
        [
            _("Question"),
            _("Choice"),
            _("Number of answers"),
            _("Share (%)"),
            _("People who answered the question"),
        ],
    )
    for question in results.choice_questions:
        for choice in question.choices:
            append(summary, [question.label, choice.label, choice.count, choice.percent, question.answered])

    # The "Answers by unit" table of the results page, row for row.
    by_unit = workbook.create_sheet(_("By unit"))
    by_unit.column_dimensions["A"].width = 60
    by_unit.column_dimensions["B"].width = 20
    by_unit.column_dimensions["C"].width = 18
    _bold_row(by_unit, [_("Unit"), _("Unit code"), _("Number of answers")])
    for line in results.by_unit:
        if line.unit is None:
            name, code = _("Anonymous"), ""
        elif line.is_selected_unit:
            name, code = f"{line.unit.name} ({_('the unit itself')})", line.unit.code
        else:
            name, code = line.unit.name, line.unit.code
        append(by_unit, [name, code, line.count])

    answers = workbook.create_sheet(_("Answers"))
    form_fields = list(page.get_form_fields())
    answers.column_dimensions["A"].width = 18
    answers.column_dimensions["B"].width = 40
    for column, form_field in enumerate(form_fields, start=3):
        wide = form_field.field_type not in CHOICE_FIELD_TYPES
        answers.column_dimensions[get_column_letter(column)].width = 50 if wide else 30
    answers.freeze_panes = "C2"
    _bold_row(answers, [_("Submitted at"), _("Unit")] + [f.label for f in form_fields])
    for submission in selectors.answers_for_export(page, user, unit).iterator():
        row = [
            cell(
                answers,
                timezone.localtime(submission.submit_time).replace(tzinfo=None),
                number_format="DD/MM/YYYY HH:MM",
            ),
            submission.unit.name if submission.unit_id else _("Anonymous"),
        ]
        for form_field in form_fields:
            value = submission.form_data.get(form_field.clean_name)
            if form_field.field_type == "number" and isinstance(value, int | float):
                row.append(value)  # a number stays a number, negative or not
            else:
                row.append(_answer_value(form_field, value))
        append(answers, row)

    return workbook_bytes(workbook)
