"""The one spreadsheet writer: texts a spreadsheet would run are neutralised, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.styles import Font

from core.spreadsheets.writing import (
    CsvWriter,
    append,
    cell,
    csv_bytes,
    new_workbook,
    safe_cell,
    workbook_bytes,
    write,
)

from .hostile import HOSTILE, HYPERLINK, assert_no_formula_in_xlsx, neutralised, read_back_xlsx_text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+84 912", "'+84 912"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Nguyễn = An", "Nguyễn = An"),
        (" =1", " =1"),
        ("'=1", "'=1"),
        ("", ""),
        (-2, -2),
        (-2.5, -2.5),
        (Decimal("-12.50"), Decimal("-12.50")),
        (None, None),
        (True, True),
    ],
)
def test_safe_cell_changes_only_texts_a_spreadsheet_would_run(value, written):
    assert safe_cell(value) == written
    assert type(safe_cell(value)) is type(written)


def test_a_lazy_translation_is_written_as_its_text():
    assert safe_cell(gettext_lazy("Summary")) in ("Summary", "Tóm tắt", "Tổng hợp")


def read_back(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_texts_are_neutralised_and_numbers_stay_numbers(write_only):
    workbook = new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("Danh sách")
    append(sheet, [cell(sheet, "Tên", font=Font(bold=True)), "Số"])
    for text in HOSTILE:
        append(sheet, [text, -2])
    append(sheet, ["#N/A", Decimal("12.50")])
    append(sheet, [])
    append(sheet, [None, 3])
    content = workbook_bytes(workbook)

    assert_no_formula_in_xlsx(content)
    rows = list(read_back(content).iter_rows())
    assert rows[0][0].value == "Tên" and rows[0][0].font.bold
    for text, row in zip(HOSTILE, rows[1:7], strict=True):
        assert (row[0].value, row[0].data_type) == (read_back_xlsx_text(neutralised(text)), "s")
        assert (row[1].value, row[1].data_type) == (-2, "n")
    assert (rows[7][0].value, rows[7][0].data_type) == ("#N/A", "s")  # a text, not Excel's error
    assert (rows[7][1].value, rows[7][1].number_format) == (12.5, "0.00")  # shows 12.50
    assert [c.value for c in rows[8]] == [None, None] and [c.value for c in rows[9]] == [None, 3]


def test_write_fills_one_cell_of_an_ordinary_sheet():
    workbook = new_workbook(write_only=False)
    sheet = workbook.create_sheet("A")
    write(sheet, 2, 3, HYPERLINK).font = Font(italic=True)
    content = workbook_bytes(workbook)
    assert_no_formula_in_xlsx(content)
    assert read_back(content)["C2"].value == neutralised(HYPERLINK)


def test_csv_texts_are_neutralised_and_numbers_stay_numbers():
    content = csv_bytes([["Tên", "Số"], *[[text, -2] for text in HOSTILE], [None, Decimal("12.50")]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Tên", "Số"]
    assert [row[0] for row in rows[1:7]] == [neutralised(text) for text in HOSTILE]
    assert {row[1] for row in rows[1:7]} == {"-2"}
    assert rows[7] == ["", "12.50"]


def test_csv_writer_without_a_stream_returns_each_line_for_streaming():
    writer = CsvWriter()
    assert writer.writerow(["=1", 2]) == "'=1,2\r\n"
