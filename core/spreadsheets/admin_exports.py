"""Every spreadsheet export of Wagtail's admin (reports, site history, form submissions, model
listings) through the safe cell.

Wagtail's ``SpreadsheetExportMixin`` writes CSV values as they are and only retypes .xlsx
formulas, so a page title, a user's name or a form answer typed as ``=HYPERLINK(…)`` is a live
formula in its CSV. Every admin view that exports inherits that one mixin, so it is made safe once,
when the ``core`` app is ready: every heading and value then goes through
:func:`~core.spreadsheets.writing.safe_cell`, the same rule as the site's own exports. Wrapping the
base class (rather than subclassing each view) also covers the reports we do not override.
"""

from functools import wraps

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .writing import safe_cell


def _safe_result(method):
    @wraps(method)
    def wrapper(*args, **kwargs):
        return safe_cell(method(*args, **kwargs))

    wrapper.is_safe = True
    return wrapper


def _text_cells(method):
    @wraps(method)
    def wrapper(*args, **kwargs):
        for cell in method(*args, **kwargs):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "#N/A" typed by a user is a text, not an error value
            yield cell

    wrapper.is_safe = True
    return wrapper


def make_wagtail_exports_safe() -> None:
    """Idempotent: called from ``CoreConfig.ready``."""
    mixin = SpreadsheetExportMixin
    if getattr(mixin.preprocess_field_value, "is_safe", False):
        return
    mixin.get_heading = _safe_result(mixin.get_heading)
    mixin.preprocess_field_value = _safe_result(mixin.preprocess_field_value)
    mixin.generate_xlsx_row = _text_cells(mixin.generate_xlsx_row)
