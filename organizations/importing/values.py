"""Reading single cell values: text, codes, dates, phones, e-mail addresses.

Each parser returns the clean value or raises ValueError with a plain Vietnamese reason.
"""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from core.phones import InvalidPhone, normalise_phone

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_validate_email = EmailValidator()


def text(value) -> str:
    """A cell as single-spaced text in NFC: Unikey's "Unicode tổ hợp" types decomposed letters
    (e + combining marks), which would otherwise be stored, compared and searched as different text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def unit_code(value) -> str:
    """A unit code as stored: letters in capitals when that makes a valid code, else as typed
    (so a message can quote it; the rule itself is checked by the caller)."""
    from ..models import UNIT_CODE_PATTERN

    raw = text(value)
    return raw.upper() if re.match(UNIT_CODE_PATTERN, raw.upper()) else raw


def parse_date(value) -> date | None:
    """A real Excel date, an Excel serial number, dd/mm/yyyy (or d/m/yyyy) or yyyy-mm-dd."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": value})
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    raw = text(value)
    match = _DMY.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(raw):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": raw})
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            _("%(value)s is not a real date (no such day in the calendar).") % {"value": raw}
        ) from None


def parse_phone(value) -> str:
    """A phone number in E.164 (``core.phones``): a Vietnamese one typed any usual way, also a
    number cell from which Excel dropped the leading 0."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            value = str(int(value))
        except (OverflowError, ValueError):  # an infinite or not-a-number cell
            value = text(value)
    else:
        value = text(value)
    try:
        return normalise_phone(value)
    except InvalidPhone as error:
        raise ValueError(error.message) from None


def parse_email(value) -> str:
    raw = text(value).lower()
    if not raw:
        return ""
    try:
        if len(raw) > 254:
            raise ValidationError("too long")
        _validate_email(raw)
    except ValidationError:
        raise ValueError(_("“%(value)s” is not a valid e-mail address.") % {"value": text(value)}) from None
    return raw


MAX_COUNT = 2_147_483_647  # the largest value the database column holds


def parse_count(value) -> int:
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        count = int(value)
    else:
        raw = text(value).replace(".", "").replace(",", "").replace(" ", "")
        if not (raw.isdigit() and raw.isascii()):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text(value)})
        count = int(raw)
    if count > MAX_COUNT:
        raise ValueError(_("“%(value)s” is too large to be a number of workers.") % {"value": text(value)})
    return count
