"""A name typed as a formula is exported as text, never as something a spreadsheet would run."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from organizations.models import Role
from training.exports import HEADER_ROW, csv_text

from .audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
)

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def hostile(tree, program09):
    officer = officer_with(tree["gb"], Role.REPORTER, family_name=FORMULA, middle_name="", given_name="")
    officer_with(tree["ga"], Role.REPORTER, family_name="-Trừ", middle_name="", given_name="")
    officer_with(tree["ga"], Role.REPORTER, given_name="Anh")
    return officer


def test_a_formula_name_is_a_text_cell_in_xlsx(client, auditor, hostile):
    client.force_login(auditor)
    response = client.get("/audit/export/officers.xlsx", {"year": YEAR, "status": "all"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)}
    assert cells[FORMULA].data_type == "s"
    assert all(cell.data_type == "s" for cell in cells.values())
    # Numbers stay numbers: the row numbers of the first column.
    assert [row[0].value for row in sheet.iter_rows(min_row=HEADER_ROW + 1)] == [1, 2, 3]
    assert all(row[0].data_type == "n" for row in sheet.iter_rows(min_row=HEADER_ROW + 1))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert not any(
            b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


def test_a_formula_name_starts_with_an_apostrophe_in_csv(client, auditor, hostile):
    client.force_login(auditor)
    response = client.get("/audit/export/officers.csv", {"year": YEAR, "status": "all"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in names and "'-Trừ" in names and "Nguyễn Văn Anh" in names
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]


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
        ("", ""),
        (-2, -2),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_csv_text_only_changes_texts_a_spreadsheet_would_run(value, written):
    assert csv_text(value) == written
