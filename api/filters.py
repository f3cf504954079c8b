"""Filters shared by the lists: a unit's subtree, a year, a role, "changed since"."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Role, Unit
from organizations.scope import visible_units

from .problems import bad_request, not_found


def unit_in_scope(user, code: str) -> Unit:
    """The unit with ``code`` if the user may see it; a 404 problem otherwise (one query)."""
    unit = visible_units(user).filter(code=code.strip().upper()).first() if "\x00" not in code else None
    if unit is None:
        raise not_found(_("No unit with this code in your scope."))
    return unit


def check_year(year: int | None) -> int | None:
    if year is not None and not 2000 <= year <= timezone.localdate().year + 5:
        raise bad_request(
            _("year must be between 2000 and %(max)s.") % {"max": timezone.localdate().year + 5},
            errors=[{"pointer": "#/query/year", "detail": _("Out of range.")}],
        )
    return year


def check_choice(name: str, value: str | None, choices) -> str | None:
    if value is not None and value not in choices:
        raise bad_request(
            _("%(name)s must be one of: %(choices)s.") % {"name": name, "choices": ", ".join(choices)},
            errors=[{"pointer": f"#/query/{name}", "detail": _("Unknown value.")}],
        )
    return value


def check_role(role: str | None) -> str | None:
    return check_choice("role", role, Role.values)


def aware_moment(value: datetime | None) -> datetime | None:
    """The ``changed_since`` moment (ISO 8601, parsed by the schema); one without an offset is
    read as Hanoi time (the site's ``TIME_ZONE``), never as the server's clock or UTC by chance."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


PAGE_PARAMS = {"limit", "cursor"}
MAX_PAGE = settings.API_MAX_PAGE_SIZE
