"""Shared fixtures: a small union tree and users of each persona."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from organizations.models import Role, UnitLevel, UpperKind
from organizations.scope import AUDITOR_GROUP
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_mfa_by_default(settings):
    # Two-factor enforcement has its own tests; elsewhere staff sign in with a password.
    settings.LMS_REQUIRE_STAFF_MFA = False


def pytest_collection_modifyitems(items):
    """Every test that commits for real (workers, live server) rolls back by serialization.

    A plain transactional test flushes the database and with it what migrations created
    (Wagtail's root and home page, Wagtail's groups), which later tests rely on.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False
            )
        elif {"transactional_db", "live_server"} & set(item.fixturenames):
            if "django_db_serialized_rollback" not in item.fixturenames:
                item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture(scope="session", autouse=True)
def migrated_data(django_db_setup, django_db_blocker):
    """A copy of what migrations put in the test database (Wagtail's root and home page,
    Wagtail's groups), taken before any test runs, so live-server tests can restore it."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _keep_serialized_copy(migrated_data):
    # Django keeps the copy on the connection object, which can be replaced between tests;
    # put it back so serialized-rollback tests (the browser tests) always find it.
    from django.db import connection

    if migrated_data and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_data


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache; one test's failed logins must not block the next test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    """City → two districts → one grassroots union each."""
    city = UnitFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội", level=UnitLevel.CITY)
    district_a = UnitFactory(
        parent=city, code="Q-BD", name="LĐLĐ quận Ba Đình", level=UnitLevel.UPPER, kind=UpperKind.DISTRICT
    )
    district_b = UnitFactory(
        parent=city, code="Q-CG", name="LĐLĐ quận Cầu Giấy", level=UnitLevel.UPPER, kind=UpperKind.DISTRICT
    )
    grassroots_a = UnitFactory(
        parent=district_a,
        code="CS-A",
        name="CĐCS Công ty May Ba Đình",
        level=UnitLevel.GRASSROOTS,
        worker_count=1200,
    )
    grassroots_b = UnitFactory(
        parent=district_b,
        code="CS-B",
        name="CĐCS Trường THCS Cầu Giấy",
        level=UnitLevel.GRASSROOTS,
        worker_count=80,
    )
    return {"city": city, "a": district_a, "b": district_b, "ga": grassroots_a, "gb": grassroots_b}


@pytest.fixture
def auditor(db):
    user = UserFactory(email="auditor@example.vn")
    user.groups.add(Group.objects.get_or_create(name=AUDITOR_GROUP)[0])
    return user


def make_manager(unit, email):
    user = UserFactory(email=email)
    officer = OfficerFactory(unit=unit, user=user)
    RoleAssignmentFactory(officer=officer, unit=unit, role=Role.UNIT_MANAGER, start_date=date(2020, 1, 1))
    return user


@pytest.fixture
def manager_a(tree):
    return make_manager(tree["a"], "manager.a@example.vn")


@pytest.fixture
def manager_b(tree):
    return make_manager(tree["b"], "manager.b@example.vn")


@pytest.fixture
def learner(tree):
    user = UserFactory(email="learner@example.vn")
    OfficerFactory(unit=tree["ga"], user=user, family_name="Nguyễn", middle_name="Thị", given_name="Mai")
    return user
