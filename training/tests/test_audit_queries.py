"""Each audit page runs the same number of queries at small and larger data sizes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Role, UnitLevel
from organizations.tests.factories import UnitFactory

from .audit_helpers import (
    YEAR,
    manager_of_both_fixture,  # noqa: F401  (fixture)
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)

PAGES = [
    ("/audit/", {}),
    ("/audit/", {"unit": "Q-BD"}),
    ("/audit/", {"unit": "CS-A"}),
    ("/audit/roles/", {}),
    ("/audit/officers/", {}),
    ("/audit/officers/", {"status": "all", "role": Role.PROPAGANDIST, "q": "Nguyễn"}),
    ("/audit/officers/", {"status": "all", "q": "nguyen van"}),
    ("/audit/unstaffed/", {}),
    ("/audit/charts/", {}),
]


def grow(tree, n):
    """Add ``n`` grassroots unions under each district, with people and records."""
    for district in (tree["a"], tree["b"]):
        for i in range(n):
            unit = UnitFactory(parent=district, level=UnitLevel.GRASSROOTS, worker_count=900 + 50 * (i % 5))
            chair = officer_with(unit, Role.GRASSROOTS_CHAIR)
            prop = officer_with(unit, Role.PROPAGANDIST, Role.REPORTER)
            if i % 2:
                record(chair, date(YEAR, 3, 1))
                record(prop, date(YEAR, 4, 1))
    for target in ("ga", "gb"):
        for _ in range(n):
            officer_with(tree[target], Role.OPINION_COLLABORATOR)


def count_queries(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"year": YEAR, **params})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["auditor", "manager_a", "manager_of_both"])
def test_query_counts_do_not_grow_with_data(client, tree, program09, who, request):
    client.force_login(request.getfixturevalue(who))
    pages = (
        PAGES if who == "auditor" else [(p, {k: v for k, v in q.items() if k != "unit"}) for p, q in PAGES]
    )
    grow(tree, 2)
    small = {(p, tuple(q.items())): count_queries(client, p, q) for p, q in pages}
    grow(tree, 30)
    large = {(p, tuple(q.items())): count_queries(client, p, q) for p, q in pages}
    assert small == large
    assert max(large.values()) <= 30


def test_dashboard_stays_within_its_query_budget(
    client, tree, program09, auditor, django_assert_max_num_queries
):
    grow(tree, 10)
    client.force_login(auditor)
    with django_assert_max_num_queries(22):
        client.get("/audit/", {"year": YEAR})
