"""Path converters shared by every app's URLs.

Django's ``<int:…>`` accepts any number of digits; a 25-digit id then overflows the database's
integer column (a 500 on PostgreSQL) instead of being a plain 404. These accept only what fits.
"""

from django.urls import register_converter


class DatabaseIdConverter:
    """Digits that fit a 64-bit id column."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class YearConverter(DatabaseIdConverter):
    """A four-digit calendar year."""

    regex = "[0-9]{4}"


def register():
    register_converter(DatabaseIdConverter, "dbid")
    register_converter(YearConverter, "year")
