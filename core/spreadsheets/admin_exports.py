"""Wagtail's own spreadsheet exports (reports, form submissions) through the safe cell.

Wagtail's ``SpreadsheetExportMixin`` writes CSV values as they are and only retypes .xlsx
formulas, so a user's name or a form answer typed as ``=HYPERLINK(…)`` is a live formula in
its CSV. Views that reuse it put this mixin first: every heading and value then goes through
:func:`~core.spreadsheets.writing.safe_cell`, the same rule as the site's own exports.
"""

from wagtail.contrib.forms.views import SubmissionsListView

from .writing import safe_cell


class SafeSpreadsheetExportMixin:
    def get_heading(self, queryset, field):
        return safe_cell(super().get_heading(queryset, field))

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(super().preprocess_field_value(field, value, export_format))

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "#N/A" typed by a user is a text, not an error value
            yield cell


class SafeSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """Wagtail's form submissions listing, whose CSV/XLSX download holds users' answers; a form
    page returns it from ``get_submissions_list_view_class``."""
