"""One phone format: every usual way of typing a Vietnamese number gives one E.164 number."""

import pytest
from django.utils import translation

from core.phones import InvalidPhone, PhoneFormField, display_phone, is_phone, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "0912-345-678",
        "(0912) 345 678",
        " 0912345678 ",
        "912345678",  # Excel dropped the leading 0
        912345678,  # ... from a number cell
        912345678.0,
    ],
)
def test_the_usual_ways_of_typing_a_number_are_one_number(typed):
    assert normalise_phone(typed) == "+84912345678"


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "0912 345",  # too short
        "0912 345 678 9",  # too long
        "01991234567",  # an old 11-digit mobile number, renumbered in 2018
        "0912abc678",
        "phone: 0912345678",
        "+",
        "0" * 200,
    ],
)
def test_impossible_numbers_are_refused_with_a_message_quoting_them(typed):
    with pytest.raises(InvalidPhone) as caught, translation.override("vi"):
        normalise_phone(typed)
    assert isinstance(caught.value, ValueError)
    with translation.override("vi"):
        assert "không phải số điện thoại" in str(caught.value)
        assert typed[:40] in str(caught.value)
    with translation.override("en"):
        assert "is not a phone number" in str(caught.value)


def test_blank_is_no_number():
    assert normalise_phone("") == normalise_phone("   ") == normalise_phone(None) == ""
    assert not is_phone("")


def test_landlines_are_accepted_and_shown_with_their_area_code():
    assert normalise_phone("024 3825 3111") == "+842438253111"
    assert display_phone("+842438253111") == "024 3825 3111"


def test_foreign_numbers_with_their_country_code_are_kept_and_shown_internationally():
    assert normalise_phone("+1 650 253 0000") == "+16502530000"
    assert display_phone("+16502530000") == "+1 650-253-0000"
    # Without "+", a number is read as Vietnamese: a US number without it is no Vietnamese number.
    assert not is_phone("650 253 0000")


def test_a_vietnamese_number_is_shown_in_the_national_format():
    assert display_phone("+84912345678") == "0912 345 678"
    assert display_phone("+84900000001") == "0900 000 001"
    assert display_phone("") == ""
    assert display_phone("0912 34") == "0912 34"  # an old unreadable value, as stored


def test_the_form_field_cleans_to_e164_and_shows_the_number_readable():
    field = PhoneFormField(required=False)
    assert field.clean("0912.345.678") == "+84912345678"
    assert field.clean("") == ""
    assert field.prepare_value("+84912345678") == "0912 345 678"
    assert 'type="tel"' in field.widget.render("phone", "+84912345678")
    with translation.override("vi"):
        with pytest.raises(Exception) as caught:
            field.clean("12345")
    assert "không phải số điện thoại" in " ".join(caught.value.messages)
