"""Percentages as the department rounds them: two decimals, halves up, exact from the fraction."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import format_percent, percent


def half_up(fraction: Fraction) -> Fraction:
    """A non-negative fraction rounded half up to hundredths, by hand."""
    scaled = fraction * 100
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


@given(st.integers(min_value=1, max_value=10**7).flatmap(lambda r: st.tuples(st.integers(0, r), st.just(r))))
def test_property_the_percentage_is_the_exact_fraction_rounded_half_up(pair):
    done, required = pair
    shown = percent(done, required)
    assert Fraction(shown) == half_up(Fraction(100 * done, required))
    assert shown.as_tuple().exponent == -2  # always two decimals, 50 shows 50.00
    assert abs(Fraction(shown) - Fraction(100 * done, required)) <= Fraction(1, 200)


@pytest.mark.parametrize(
    ("done", "required", "shown"),
    [
        (49, 400, "12.25"),  # exactly 12.25: kept (Decimal's default once showed 12.2)
        (1, 8, "12.50"),
        (1, 800, "0.13"),  # 0.125 % rounds up, not to the even 0.12
        (9, 13, "69.23"),  # 69.2307…
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 40000, "0.00"),  # 0.0025 %: below a half of the last place
        (1, 20000, "0.01"),  # 0.005 %: exactly a half, rounds up
        (0, 7, "0.00"),
        (7, 7, "100.00"),
        (123456789, 123456790, "100.00"),  # 99.9999…: the rule shows 100.00 though one is missing
        (199999, 200000, "100.00"),  # 99.9995: a half, up
        (1999899, 2000000, "99.99"),  # 99.99495
        (12345, 12350, "99.96"),
    ],
)
def test_department_examples(done, required, shown):
    assert percent(done, required) == Decimal(shown)
    assert str(percent(done, required)) == shown


def test_nothing_required_has_no_percentage():
    assert percent(0, 0) is None
    assert format_percent(None) == "—"


@pytest.mark.parametrize(("language", "text"), [("vi", "69,23%"), ("en", "69.23%")])
def test_a_percentage_is_shown_in_the_reader_s_language(language, text):
    with translation.override(language):
        assert format_percent(percent(9, 13)) == text
        assert format_percent(percent(1, 8)) == text.replace("69", "12").replace("23", "50")
        assert format_percent(percent(1, 1)) == ("100,00%" if language == "vi" else "100.00%")
