"""The one way the site writes spreadsheets (.xlsx and CSV): no cell can carry a formula.

Names, titles, labels and answers come from users. A spreadsheet runs a text that starts
with ``=``, ``+``, ``-`` or ``@`` (and, after a tab or a carriage return, what follows) as a
formula: ``=HYPERLINK("http://…"&B3, …)`` becomes a live link that sends a neighbouring cell
away. Every text written here goes through :func:`safe_cell`, which follows OWASP's rule for
CSV injection: such a text gets a leading apostrophe, in CSV and in .xlsx alike, so the file
stays safe even after someone opens it, edits a cell or saves it again as CSV. In .xlsx every
text is also typed as text. Numbers, dates and empty cells are written as they are: a negative
number stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from copy import copy
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# What makes Excel or LibreOffice read a field as a formula (OWASP, "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value a spreadsheet cell may hold: a text starting with =, +, -, @, a tab or a
    carriage return gets a leading apostrophe; any other value is returned unchanged (a lazy
    translation becomes its text)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _decimal_format(value) -> str | None:
    """A Decimal keeps its places on screen in Excel: 12.50 shows 12.50, not 12.5."""
    if isinstance(value, Decimal) and value.is_finite():
        places = -value.as_tuple().exponent
        if places > 0:
            return "0." + "0" * places
    return None


def _fill(cell, value):
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        # Typed as text: openpyxl would otherwise store "#N/A" as an error value.
        cell.data_type = "s"
    elif (number_format := _decimal_format(value)) is not None:
        cell.number_format = number_format
    return cell


# --- .xlsx ---------------------------------------------------------------------------------------


def new_workbook(*, write_only: bool = True) -> Workbook:
    """An empty workbook. Write-only (streamed to the file row by row, flat memory) unless a sheet
    needs what only an ordinary workbook has (data validation, cells styled after the fact)."""
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    return workbook


def cell(sheet, value, *, font=None, fill=None, alignment=None, border=None, number_format=None):
    """A safe cell with a style, for :func:`append`."""
    written = _fill(WriteOnlyCell(sheet), value)
    if font is not None:
        written.font = font
    if fill is not None:
        written.fill = fill
    if alignment is not None:
        written.alignment = alignment
    if border is not None:
        written.border = border
    if number_format is not None:
        written.number_format = number_format
    return written


def append(sheet, values: Iterable) -> None:
    """Append one row of safe cells to a sheet, write-only or not. A cell made by :func:`cell`
    keeps its style."""
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([v if isinstance(v, Cell) else cell(sheet, v) for v in values])
        return
    row = sheet._current_row + 1  # where openpyxl's own append writes
    for column, value in enumerate(values, start=1):
        if isinstance(value, Cell):
            written = write(sheet, row, column, value.value)
            written._style = copy(value._style)  # as openpyxl copies a sheet
        else:
            write(sheet, row, column, value)
    sheet._current_row = row


def write(sheet, row: int, column: int, value):
    """Write one safe cell of an ordinary (not write-only) sheet and return it for styling."""
    return _fill(sheet.cell(row=row, column=column), value)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """A file that returns what is written to it, for streaming one line at a time."""

    def write(self, value):
        return value


class CsvWriter:
    """``csv.writer`` whose rows go through :func:`safe_cell`; ``None`` is an empty field.

    Without a stream, :meth:`writerow` returns the line it wrote (to stream a response)."""

    def __init__(self, stream=None, **fmtparams):
        self._writer = csv.writer(stream if stream is not None else _Echo(), **fmtparams)

    def writerow(self, values: Iterable):
        return self._writer.writerow(["" if v is None else safe_cell(v) for v in values])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for values in rows:
            self.writerow(values)


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """Rows as a UTF-8 CSV file with a byte-order mark, so Excel opens Vietnamese text as UTF-8."""
    buffer = io.StringIO()
    CsvWriter(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
