"""After a bulk write, PostgreSQL plans from statistics of the table as it now is."""

import pytest
from django.db import connection

from core.planner import refresh_statistics
from organizations.models import Unit, UnitLevel


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_statistics_count_the_rows_just_written_in_the_same_transaction():
    if connection.vendor != "postgresql":
        refresh_statistics(Unit)  # nothing to do, and nothing fails
        return
    root = Unit.add_root(code="HN", name="Thành phố", level=UnitLevel.CITY)
    Unit.objects.bulk_create(
        Unit(path=f"{root.path}{i:04d}", depth=2, numchild=0, code=f"U{i}", name=f"Cấp trên {i}")
        for i in range(1, 1201)
    )
    refresh_statistics(Unit)
    assert _estimated_rows(Unit._meta.db_table) >= 1200
