"""A query compiled once per process gives the ORM's answer for every parameter value."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from core.compiled import CompiledValuesQuery
from organizations.models import Officer, Role, RoleAssignment
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory


def _holders(unit_id: int, day: datetime.date):
    """How many officers of a unit hold a role on ``day``."""
    active = RoleAssignment.objects.active_on(day)
    return (
        Officer.objects.filter(unit_id=unit_id)
        .values("unit_id")
        .annotate(holders=Count("pk", filter=Exists(active.filter(officer=OuterRef("pk")))))
        .order_by("unit_id")
        .values("unit_id", "holders")
    )


@pytest.fixture
def roles(tree):
    first = RoleAssignmentFactory(
        officer=OfficerFactory(unit=tree["ga"]),
        role=Role.PROPAGANDIST,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    RoleAssignmentFactory(
        officer=OfficerFactory(unit=tree["ga"]), role=Role.REPORTER, start_date=datetime.date(2024, 6, 1)
    )
    RoleAssignmentFactory(
        officer=OfficerFactory(unit=tree["gb"]), role=Role.REPORTER, start_date=datetime.date(2020, 1, 1)
    )
    return {"ga": tree["ga"].pk, "gb": tree["gb"].pk, "first": first}


def test_each_call_gives_what_the_queryset_gives_for_its_values(roles):
    compiled = CompiledValuesQuery(_holders, unit_id=int, day=datetime.date)
    for unit_id in (roles["ga"], roles["gb"], -1):
        for day in (
            datetime.date(2023, 1, 1),
            datetime.date(2024, 3, 1),
            datetime.date(2024, 7, 1),
            datetime.date(2025, 1, 1),
        ):
            expected = _holders(unit_id, day).first()
            assert compiled.first(unit_id=unit_id, day=day) == expected, (unit_id, day)


def test_the_query_is_built_once_and_runs_as_one_statement(roles):
    built = []

    def build(unit_id, day):
        built.append((unit_id, day))
        return _holders(unit_id, day)

    compiled = CompiledValuesQuery(build, unit_id=int, day=datetime.date)
    with CaptureQueriesContext(connection) as queries:
        answers = [compiled.first(unit_id=roles["ga"], day=datetime.date(2024, month, 1)) for month in (3, 7)]
    assert [row["holders"] for row in answers] == [1, 2]
    assert len(built) == 1 and built[0][0] < 0  # built with its samples, not with a caller's values
    assert len(queries) == 2


def test_a_parameter_the_query_does_not_use_is_refused(db):
    compiled = CompiledValuesQuery(lambda unit_id, day: _holders(5, day), unit_id=int, day=datetime.date)
    with pytest.raises(ValueError, match="does not use unit_id"):
        compiled.first(unit_id=5, day=datetime.date(2024, 1, 1))


def test_only_parameter_types_with_a_sample_are_accepted():
    with pytest.raises(TypeError, match="name"):
        CompiledValuesQuery(_holders, name=str)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_statement_is_prepared_once_per_connection(roles):
    compiled = CompiledValuesQuery(_holders, unit_id=int, day=datetime.date)
    compiled.first(unit_id=roles["ga"], day=datetime.date(2024, 1, 1))
    beginning = compiled._compile("default")[0].split("%s")[0]

    def prepared() -> list[int]:
        """How often each prepared statement of this query has run on this connection."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
            return [runs for statement, runs in cursor.fetchall() if statement.startswith(beginning)]

    before = prepared()
    for month in (3, 7, 9):
        compiled.first(unit_id=roles["ga"], day=datetime.date(2024, month, 1))
    after = prepared()
    assert len(before) == len(after) == 1  # prepared on its first run, and once
    assert after[0] - before[0] == 3  # then run again without being prepared again
