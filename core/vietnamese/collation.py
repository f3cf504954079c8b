"""Ordering text the Vietnamese way in the database (Ba Đình, Đống Đa, Tây Hồ).

PostgreSQL has ICU's Vietnamese collation; SQLite has none, so every new SQLite connection is
taught one (``register_vietnamese_collation``, connected in ``core.apps``) that compares
``names.text_sort_key``.
"""

from django.db import connection
from django.db.models.functions import Collate

from .names import text_sort_key

SQLITE_COLLATION = "vietnamese"


def compare_vietnamese(left: str, right: str) -> int:
    left_key, right_key = text_sort_key(left), text_sort_key(right)
    return (left_key > right_key) - (left_key < right_key) or (left > right) - (left < right)


def vietnamese(field: str) -> Collate:
    """``field`` ordered the Vietnamese way (Ba Đình, Đống Đa, Tây Hồ), in the database."""
    return Collate(field, "vi-x-icu" if connection.vendor == "postgresql" else SQLITE_COLLATION)


def register_vietnamese_collation(sender, connection, **kwargs) -> None:
    """SQLite has no Vietnamese collation; teach each new connection ours (PostgreSQL uses ICU's)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, compare_vietnamese)
