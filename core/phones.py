"""One format for phone numbers: E.164 (``+84912345678``), whatever way they were typed.

``0912 345 678``, ``0912.345.678``, ``+84 912 345 678`` and ``84912345678`` are one number. The
roster stores, compares and searches that one form; people see it in the national format
(``0912 345 678``). Numbers are checked with Google's libphonenumber (the ``phonenumbers``
package): a number no Vietnamese (or foreign) numbering plan can hold is refused.

What is accepted, and why:
- Vietnamese mobiles and landlines (``024 3825 3111``): a grassroots chair may give the union
  office's line. Only a mobile receives SMS, which is the notifications layer's business.
- Foreign numbers written with their ``+`` country code (``+1 650 253 0000``) are kept in
  E.164 and shown in the international format: an officer posted abroad keeps their number.
- The old 11-digit mobile numbers (``01xx``, renumbered in 2018) are refused: they no longer
  reach anyone.
"""

import re

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "VN"
# What people put between digits: spaces (also non-breaking), dots, dashes, brackets.
_SEPARATORS = re.compile(r"[\s.\-()\u00a0\u2010-\u2015]+")
_TYPED_PHONE = re.compile(r"^\+?[\d\s.\-()\u00a0\u2010-\u2015]+$")
MAX_TYPED_LENGTH = 40  # longer text is no phone number; not handed to the parser


class InvalidPhone(ValueError):
    """A text that is not a phone number; ``str()`` is a translated message quoting it."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(text)

    @property
    def message(self) -> str:
        return str(
            _(
                "“%(value)s” is not a phone number; write a Vietnamese number of 10 digits starting "
                "with 0 (e.g. 0912 345 678), or a foreign one starting with + and its country code."
            )
            % {"value": self.text[:MAX_TYPED_LENGTH]}
        )

    def __str__(self) -> str:
        return self.message


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber:
    raw = " ".join(str(text).split())
    if len(raw) > MAX_TYPED_LENGTH or not _TYPED_PHONE.match(raw):
        raise InvalidPhone(raw)
    digits = _SEPARATORS.sub("", raw)
    if region == "VN" and digits.startswith("84") and len(digits) in (11, 12):
        digits = "+" + digits  # 84912345678: the country code without its plus, as Excel keeps it
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return number


def normalise_phone(text, region: str = DEFAULT_REGION) -> str:
    """``text`` as an E.164 number (``+84912345678``); ``""`` for a blank text.

    Raises ``InvalidPhone`` (a ValueError with a translated message) for text that is not a
    valid number. A Vietnamese number may be typed with or without its leading 0 (Excel drops
    it), with the country code (``+84``, ``84``), and with spaces, dots, dashes or brackets.
    """
    if text is None or not str(text).strip():
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    number = _parse(str(text), region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_phone(text) -> bool:
    """Whether ``text`` reads as one valid phone number (blank is not one)."""
    try:
        return bool(normalise_phone(text))
    except InvalidPhone:
        return False


def display_phone(stored: str) -> str:
    """A stored number as people read it: ``0912 345 678`` for a Vietnamese number, the
    international format for a foreign one, and anything that is not E.164 as stored."""
    if not stored or not stored.startswith("+"):
        return stored or ""
    try:
        number = phonenumbers.parse(stored, None)
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneFormField(forms.CharField):
    """A text input that accepts a phone number typed any usual way and cleans it to E.164;
    an existing value is shown readable (``0912 345 678``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TYPED_LENGTH)
        super().__init__(*args, **kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value):
        return display_phone(value) if isinstance(value, str) else value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return normalise_phone(value)
        except InvalidPhone as error:
            raise forms.ValidationError(error.message, code="invalid_phone") from None
