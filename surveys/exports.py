"""The .xlsx export of a survey's results, with Vietnamese headers.

The summary sheet is written from ``selectors.survey_results``, the same object
the results page renders, so the numbers on screen and in the file agree.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import selectors
from .models import CHOICE_FIELD_TYPES

BOLD = Font(bold=True)


def _text_cell(sheet, row: int, column: int, value) -> None:
    """Write a value as literal text: an answer like "=HYPERLINK(…)" must never become a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def _answer_value(form_field, value) -> str:
    values = selectors.answer_values(form_field, value)
    return "; ".join(values)


def results_workbook(page, user, unit=None) -> bytes:
    """Summary (counts per choice), answers per unit and every answer, scoped like the results page."""
    results = selectors.survey_results(page, user, unit)
    workbook = Workbook()

    summary = workbook.active
    summary.title = _("Summary")
    summary.append([_("Survey"), page.title])
    summary.append([_("Scope"), unit.name if unit else _("Everything you may see")])
    summary.append([_("Number of answers"), results.total])
    summary.append([_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    summary.append([])
    header = [
        _("Question"),
        _("Choice"),
        _("Number of answers"),
        _("Share (%)"),
        _("People who answered the question"),
    ]
    summary.append(header)
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    for question in results.choice_questions:
        for choice in question.choices:
            row = summary.max_row + 1
            _text_cell(summary, row, 1, question.label)
            _text_cell(summary, row, 2, choice.label)
            summary.cell(row=row, column=3, value=choice.count)
            summary.cell(row=row, column=4, value=choice.percent)
            summary.cell(row=row, column=5, value=question.answered)
    for column, width in zip("ABCDE", (48, 40, 18, 12, 22), strict=True):
        summary.column_dimensions[column].width = width

    # The "Answers by unit" table of the results page, row for row.
    by_unit = workbook.create_sheet(_("By unit"))
    by_unit.append([_("Unit"), _("Unit code"), _("Number of answers")])
    for cell in by_unit[1]:
        cell.font = BOLD
    for row, line in enumerate(results.by_unit, start=2):
        if line.unit is None:
            name, code = _("Anonymous"), ""
        elif line.is_selected_unit:
            name, code = f"{line.unit.name} ({_('the unit itself')})", line.unit.code
        else:
            name, code = line.unit.name, line.unit.code
        _text_cell(by_unit, row, 1, name)
        _text_cell(by_unit, row, 2, code)
        by_unit.cell(row=row, column=3, value=line.count)
    by_unit.column_dimensions["A"].width = 60
    by_unit.column_dimensions["B"].width = 20
    by_unit.column_dimensions["C"].width = 18

    answers = workbook.create_sheet(_("Answers"))
    form_fields = list(page.get_form_fields())
    answers.append([_("Submitted at"), _("Unit")] + [f.label for f in form_fields])
    for cell in answers[1]:
        cell.font = BOLD
    for row, submission in enumerate(selectors.answers_for_export(page, user, unit).iterator(), start=2):
        answers.cell(row=row, column=1, value=timezone.localtime(submission.submit_time).replace(tzinfo=None))
        answers.cell(row=row, column=1).number_format = "DD/MM/YYYY HH:MM"
        _text_cell(answers, row, 2, submission.unit.name if submission.unit_id else _("Anonymous"))
        for column, form_field in enumerate(form_fields, start=3):
            value = submission.form_data.get(form_field.clean_name)
            if form_field.field_type == "number" and isinstance(value, int | float):
                answers.cell(row=row, column=column, value=value)
            else:
                _text_cell(answers, row, column, _answer_value(form_field, value))
    answers.column_dimensions["A"].width = 18
    answers.column_dimensions["B"].width = 40
    for column, form_field in enumerate(form_fields, start=3):
        wide = form_field.field_type not in CHOICE_FIELD_TYPES
        answers.column_dimensions[get_column_letter(column)].width = 50 if wide else 30
    answers.freeze_panes = "C2"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
