"""Staff groups get their permissions one way: each app declares them, every migrate grants them."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

DOMAIN_IMPORT = re.compile(
    r"^\s*(from|import)\s+(organizations|accounts|courses|training|certificates|surveys|demo|lms)\b", re.M
)


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_after_migrate_the_department_may_keep_the_roster_the_requirements_and_the_templates(db):
    auditors = codenames("Auditors")
    assert {"access_admin", "view_officer", "delete_officer", "change_unit", "add_roleassignment"} <= auditors
    assert {"add_requirement", "change_requirement", "delete_requirement", "view_requirement"} <= auditors
    assert {"add_certificatetemplate", "change_certificatetemplate", "view_certificatetemplate"} <= auditors
    assert "delete_certificatetemplate" not in auditors  # left to superusers


def test_unit_managers_keep_their_roster_but_delete_nothing_and_set_no_rules(db):
    managers = codenames("Unit managers")
    assert {"access_admin", "view_officer", "add_officer", "change_roleassignment"} <= managers
    assert not {p for p in managers if p.startswith("delete_")}
    assert not {"change_requirement", "change_certificatetemplate"} & managers


def test_a_later_migrate_puts_back_a_lost_permission_and_takes_nothing_away(db):
    auditors = Group.objects.get(name="Auditors")
    auditors.permissions.remove(Permission.objects.get(codename="change_requirement"))
    extra = Permission.objects.get(codename="delete_certificatetemplate")
    auditors.permissions.add(extra)
    before = Group.objects.count()

    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)

    assert "change_requirement" in codenames("Auditors")
    assert "delete_certificatetemplate" in codenames("Auditors")  # granted by hand, kept
    assert Group.objects.count() == before  # no duplicate groups


def test_core_imports_no_domain_app():
    core = Path(settings.BASE_DIR) / "core"
    offenders = [
        path.relative_to(core).as_posix()
        for path in core.rglob("*.py")
        if "tests" not in path.parts and DOMAIN_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
