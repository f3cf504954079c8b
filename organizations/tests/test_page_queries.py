"""The roster pages cost the same number of queries with a few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import OfficerFactory, RoleAssignmentFactory, UnitFactory


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_people(tree, count, *, logged_by):
    """``count`` grassroots unions under district A, each with an officer holding two roles, all logged."""
    from wagtail.log_actions import log

    for _ in range(count):
        unit = UnitFactory(parent=tree["a"])
        officer = OfficerFactory(unit=unit)
        RoleAssignmentFactory(officer=officer)
        RoleAssignmentFactory(officer=officer, unit=tree["a"], end_date="2025-12-31", start_date="2024-01-01")
        log(instance=officer, action="wagtail.edit", user=logged_by)


@pytest.mark.parametrize(
    "url",
    [
        "/roster/officers/",
        "/roster/officers/?q=Nguyễn",
        "/roster/officers/?q=nguyen van&unit=Q-BD",
        "/admin/roster/officers/?q=nguyen van",
        "/admin/roster/roles/?q=nguyen ba dinh",
        "/admin/roster/units/?q=cdcs",
        "/roster/units/",
        "/roster/units/Q-BD/",
        "/admin/roster/officers/",
        "/admin/roster/roles/",
        "/admin/reports/site-history/",
    ],
)
def test_roster_pages_do_not_query_per_row(client, admin_auditor, tree, url):
    client.force_login(admin_auditor)
    add_people(tree, 2, logged_by=admin_auditor)
    client.get(url)  # caches (content types, permissions) are warm from here on
    few = query_count(client, url)
    add_people(tree, 25, logged_by=admin_auditor)
    assert query_count(client, url) == few


def test_officer_page_queries_do_not_grow_with_the_role_history(client, admin_auditor, tree):
    officer = OfficerFactory(unit=tree["ga"])
    client.force_login(admin_auditor)
    url = f"/roster/officers/{officer.pk}/"
    RoleAssignmentFactory(officer=officer)
    few = query_count(client, url)
    for year in range(2010, 2024):
        RoleAssignmentFactory(officer=officer, start_date=f"{year}-01-01", end_date=f"{year}-12-31")
    assert query_count(client, url) == few
