"""A real install (not the demo): auditors may edit requirements, and Program 09 is seeded by a command."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from organizations.scope import AUDITOR_GROUP
from training.models import Requirement, RequirementRule

migration = importlib.import_module("training.migrations.0004_grant_auditors_requirement_permissions")
REQUIREMENT_PERMS = {"add_requirement", "change_requirement", "delete_requirement", "view_requirement"}


def group_codenames() -> set[str]:
    return set(Group.objects.get(name=AUDITOR_GROUP).permissions.values_list("codename", flat=True))


def test_migrations_let_auditors_edit_requirements_in_the_admin(client, auditor, manager_a):
    """No demo seeding here: only what migrations did."""
    assert REQUIREMENT_PERMS | {"access_admin"} <= group_codenames()
    call_command("seed_requirements", "--year", "2026", stdout=io.StringIO())
    requirement = Requirement.objects.get(year=2026, target="corps")
    client.force_login(auditor)
    assert client.get("/admin/training/requirements/").status_code == 200
    assert client.get(f"/admin/training/requirements/edit/{requirement.pk}/").status_code == 200
    client.force_login(manager_a)
    assert client.get(f"/admin/training/requirements/edit/{requirement.pk}/").status_code in (302, 403)


def test_the_grant_is_idempotent_and_makes_the_group_when_missing(db):
    editor = SimpleNamespace(connection=connection)
    Group.objects.filter(name=AUDITOR_GROUP).delete()
    migration.grant(apps, editor)
    assert REQUIREMENT_PERMS | {"access_admin"} <= group_codenames()
    count = Group.objects.get(name=AUDITOR_GROUP).permissions.count()
    migration.grant(apps, editor)
    assert Group.objects.get(name=AUDITOR_GROUP).permissions.count() == count
    migration.revoke(apps, editor)
    assert not REQUIREMENT_PERMS & group_codenames()


def test_seed_requirements_seeds_program09_once_and_keeps_edits(db, capsys):
    call_command("seed_requirements", "--year", "2027")
    out = capsys.readouterr().out
    assert "2027 — đã thêm: Mục tiêu 2: bồi dưỡng thường xuyên đội ngũ làm công tác tuyên truyền" in out
    assert "3 mục tiêu được thêm, 0 giữ nguyên" in out
    requirements = Requirement.objects.filter(year=2027)
    assert sorted(requirements.values_list("target", flat=True)) == ["corps", "large_grassroots", "staffing"]
    assert RequirementRule.objects.filter(requirement__year=2027).count() == 10
    large = requirements.get(target="large_grassroots")
    assert {r.min_workers for r in large.rules.all()} == {1000}
    assert str(large.deadline) == "2027-12-31"

    large.min_hours = 8
    large.save()
    call_command("seed_requirements", "--year", "2027")
    out = capsys.readouterr().out
    assert "0 mục tiêu được thêm, 3 giữ nguyên" in out and "2027 — giữ nguyên như đã đặt: Mục tiêu 3" in out
    assert Requirement.objects.filter(year=2027).count() == 3
    assert Requirement.objects.get(year=2027, target="large_grassroots").min_hours == 8
    assert RequirementRule.objects.filter(requirement__year=2027).count() == 10


def test_seed_requirements_defaults_to_this_year_and_refuses_a_bad_year(db, capsys):
    call_command("seed_requirements")
    this_year = timezone.localdate().year
    assert Requirement.objects.filter(year=this_year).count() == 3
    with pytest.raises(CommandError, match="1999"):
        call_command("seed_requirements", "--year", "1999")
    with pytest.raises(CommandError):
        call_command("seed_requirements", "--year", str(this_year + 6))
    assert not Requirement.objects.exclude(year=this_year).exists()
