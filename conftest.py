"""Shared fixtures: a small union tree and users of each persona."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from hypothesis import settings as hypothesis_settings

from organizations.models import Role, UnitLevel, UpperKind
from organizations.scope import AUDITOR_GROUP
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UnitFactory, UserFactory

# Property tests check behaviour, not speed (speed lives in bench/): no per-example deadline,
# which a busy CI machine turned into "Unreliable test timings" failures.
hypothesis_settings.register_profile("lms", deadline=None)
hypothesis_settings.load_profile("lms")


@pytest.fixture(scope="session", autouse=True)
def _session_redis():
    """One redis-server on a free loopback port (no persistence) for the whole run: the broker
    and result backend of this process and of every worker process a test starts. A run never
    uses (or needs) the Redis of `make run`; CELERY_BROKER_URL in the environment is ignored."""
    from lms.testing.servers import point_celery_at, redis_server

    with redis_server() as url:
        point_celery_at(url)
        yield url


@pytest.fixture(autouse=True)
def _empty_task_queue(_session_redis):
    """Tasks a test sent and no worker took do not reach the next test's worker (or its sweeps)."""
    yield
    import redis

    with redis.Redis.from_url(_session_redis) as client:
        client.flushdb()


@pytest.fixture(autouse=True)
def _no_mfa_by_default(settings):
    # Two-factor enforcement has its own tests; elsewhere staff sign in with a password.
    settings.LMS_REQUIRE_STAFF_MFA = False


def _commits_for_real(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(scope="session")
def migrated_snapshot(django_db_setup, django_db_blocker) -> dict:
    """What migrations put in the test database (Wagtail's root and home page, locale,
    site, collections, Wagtail's groups and their permissions), taken once.

    Tests that commit for real (browser, worker tests) end with a flush, after which
    Django re-creates content types and permissions only for models it knows, with new ids,
    and none of this data. The copy refers to content types and permissions by natural key,
    so it restores onto the new ids. Taken when the first committing test starts, before any
    flush (tests that roll back leave the database as migrations made it).
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers

    skip = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    app_list = [
        (config, [m for m in config.get_models() if m._meta.label_lower not in skip and not m._meta.proxy])
        for config in apps.get_app_configs()
    ]
    # Referenced models first: natural keys (a site's root page) are looked up as rows load.
    models = serializers.sort_dependencies(app_list, allow_cycles=True)
    with django_db_blocker.unblock():
        objects = [obj for model in models for obj in model._base_manager.order_by("pk")]
        return {
            "content_types": list(ContentType.objects.values_list("app_label", "model")),
            "permissions": list(
                Permission.objects.values_list(
                    "codename", "name", "content_type__app_label", "content_type__model"
                )
            ),
            "data": serializers.serialize("json", objects, use_natural_foreign_keys=True),
        }


def restore_migrated_data(snapshot: dict) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.db import connection, transaction

    tables = set()
    ContentType.objects.clear_cache()  # the flush gave content types new ids
    with transaction.atomic():
        for app_label, model in snapshot["content_types"]:
            ContentType.objects.get_or_create(app_label=app_label, model=model)
        for codename, name, app_label, model in snapshot["permissions"]:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
            Permission.objects.get_or_create(
                codename=codename, content_type=content_type, defaults={"name": name}
            )
        # The flush's post_migrate made the staff groups again (core.groups); the
        # snapshot holds them as migrate made them, with their ids.
        Group.objects.all().delete()
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("json", snapshot["data"]):
                obj.save()
                tables.add(obj.object._meta.db_table)
        connection.check_constraints(table_names=sorted(tables))


@pytest.fixture(autouse=True)
def _migrated_data_present(request, django_db_blocker):
    """Before a test that commits for real, put back what an earlier flush removed."""
    if not _commits_for_real(request):
        return
    snapshot = request.getfixturevalue("migrated_snapshot")
    request.getfixturevalue("transactional_db")
    from wagtail.models import Page

    with django_db_blocker.unblock():
        if not Page.objects.exists():
            restore_migrated_data(snapshot)


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
def admin_manager(manager_a):
    """Manager of district A who may also use the Wagtail admin (group "Unit managers")."""
    from organizations.groups import ensure_groups

    manager_a.groups.add(ensure_groups()["managers"])
    return manager_a


@pytest.fixture
def admin_auditor(auditor):
    """The auditor, with the Auditors group's admin permissions as every migrate makes them."""
    from organizations.groups import ensure_groups

    ensure_groups()
    return auditor


@pytest.fixture
def manager_b(tree):
    return make_manager(tree["b"], "manager.b@example.vn")


@pytest.fixture
def learner(tree):
    user = UserFactory(email="learner@example.vn")
    OfficerFactory(unit=tree["ga"], user=user, family_name="Nguyễn", middle_name="Thị", given_name="Mai")
    return user
