"""Auditors edit requirement rules in the Wagtail admin and copy a year forward."""

import pytest
from django.contrib.auth.models import Group, Permission

from training.models import Requirement

from .audit_helpers import (
    YEAR,
    program09_fixture,  # noqa: F401  (fixture)
)


@pytest.fixture
def admin_auditor(auditor):
    group = Group.objects.get(name="Auditors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="training", codename__endswith="requirement"),
    )
    return auditor


def test_auditor_lists_and_copies_a_year_forward(client, admin_auditor, program09):
    client.force_login(admin_auditor)
    index = client.get("/admin/training/requirements/")
    assert index.status_code == 200
    requirement = program09["corps"]
    requirement.min_hours = 8
    requirement.save()
    url = f"/admin/training/requirements/copy-forward/{requirement.pk}/"
    assert client.get(url).status_code == 200
    client.post(url)
    copied = Requirement.objects.get(year=YEAR + 1, target="corps")
    assert copied.min_hours == 8 and copied.rules.count() == requirement.rules.count()
    assert str(copied.deadline) == f"{YEAR + 1}-12-31"
    client.post(url)  # idempotent
    assert Requirement.objects.filter(year=YEAR + 1).count() == 3


def test_edit_form_opens(client, admin_auditor, program09):
    client.force_login(admin_auditor)
    response = client.get(f"/admin/training/requirements/edit/{program09['staffing'].pk}/")
    assert response.status_code == 200


def test_without_permission_no_copy(client, manager_a, program09):
    client.force_login(manager_a)
    response = client.post(f"/admin/training/requirements/copy-forward/{program09['corps'].pk}/")
    assert response.status_code in (302, 403)
    assert not Requirement.objects.filter(year=YEAR + 1).exists()
