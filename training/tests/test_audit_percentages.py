"""Rates as the department rounds them: two decimals, halves up — on the screen in the reader's
language, as numbers in the workbook and CSV, in the reminders."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from organizations.models import Role
from training.audit.exports import HEADER_ROW
from training.audit.selectors import Figure
from training.templatetags.training_tags import badge_class

from .audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)


@pytest.fixture
def nine_of_thirteen(tree, program09):
    """Thirteen reporters, nine trained: target 2 is 69.2307…%."""
    people = [officer_with(tree["gb"], Role.REPORTER, given_name=f"Người {n:02d}") for n in range(13)]
    for person in people[:9]:
        record(person, date(YEAR, 3, 1))
    return people


@pytest.mark.parametrize(("language", "shown"), [("vi", "69,23%"), ("en", "69.23%")])
def test_the_dashboard_shows_two_decimals_in_the_reader_s_language(
    client, auditor, nine_of_thirteen, language, shown
):
    from django.conf import settings

    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switcher's choice
    html = client.get("/audit/", {"year": YEAR}).content.decode()
    assert f'<span class="stat__value">{shown}</span>' in html  # the headline of target 2
    assert f">{shown}</span></td>" in html  # Q-CG's row of the units table
    assert "69,2%" not in html and "69.2%" not in html


def test_the_exports_hold_the_number_69_23(client, auditor, nine_of_thirteen):
    client.force_login(auditor)
    book = load_workbook(io.BytesIO(client.get("/audit/export/dashboard.xlsx", {"year": YEAR}).content))
    corps = book["Tổng hợp"].cell(HEADER_ROW + 2, 5)
    assert (corps.value, corps.data_type, corps.number_format) == (69.23, "n", "0.00")
    text = client.get("/audit/export/dashboard.csv", {"year": YEAR}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["13", "9", "4", "69.23"] in [row[1:] for row in rows]


def test_a_rate_that_rounds_to_100_is_not_shown_as_complete():
    almost = Figure(required=200_000, done=199_999)
    assert almost.percent == Decimal("100.00")  # 99.9995 rounds half up
    assert badge_class(almost) == "badge--warn" and badge_class(Figure(3, 3)) == "badge--ok"
    assert badge_class(Figure(10, 6)) == "badge--bad" and badge_class(Figure(0, 0)) == ""


def test_halves_round_up_where_the_old_rule_rounded_to_even():
    assert Figure(required=400, done=49).percent == Decimal("12.25")  # shown 12.2 before
    assert Figure(required=8, done=1).percent == Decimal("12.50")
    assert Figure(required=800, done=1).percent == Decimal("0.13")
