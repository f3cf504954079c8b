"""Percentages as the department rounds them: two decimals, halves rounded up.

One helper for every percentage the site shows or exports (audit figures, charts, reminders,
survey shares), so a screen, its export and a reminder always show the same figure.
"""

from decimal import Decimal

from django.utils.formats import number_format

PLACES = 2


def percent(done: int, required: int) -> Decimal | None:
    """``done / required`` as a percentage with two decimals, rounded half up (12.125 → 12.13).

    Exact: computed from the integer fraction, never through a float or a rounded quotient, so
    a figure that is exactly a half rounds up whatever the size of the numbers. ``None`` when
    nothing is required (shown as —). Halves round away from zero (ROUND_HALF_UP).
    """
    if not required:
        return None
    negative = (done < 0) != (required < 0)
    hundredths, remainder = divmod(abs(done) * 100 * 10**PLACES, abs(required))
    if 2 * remainder >= abs(required):
        hundredths += 1
    return Decimal(-hundredths if negative else hundredths).scaleb(-PLACES)


def format_percent(value) -> str:
    """A percentage for a page or a message in the active language: 69,23% in Vietnamese,
    69.23% in English, — when there is none. ``value`` comes from :func:`percent`."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=PLACES, use_l10n=True) + "%"
