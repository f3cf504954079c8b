"""Unit codes: A–Z, 0–9 and "-", 1 to 20 characters, typed in any case and stored in capitals.

Refused with a clear message in the admin and the import; a bad code left by an older version
never makes a page fail, and an auditor corrects it in the admin.
"""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from organizations.importing import Scope, import_roster
from organizations.models import Unit

from .test_admin_units import NEW, edited, new_unit

BAD_CODES = ["CG/TEST", "CG\nTEST", "CĐ-1", "CG TEST", "A" * 21, "CG_TEST", ""]


def test_existing_codes_fit_the_rule(tree):
    for code in ("HN", "Q-CG", "CS-0169", "CS-A", "LDLD-CAUGIAY", "CS-LDLD-PHUXUYEN"):
        Unit._meta.get_field("code").run_validators(code)


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_admin_refuses_a_bad_code_and_says_why(client, admin_manager, tree, code):
    client.force_login(admin_manager)
    response = client.post(NEW, new_unit(parent=tree["a"].pk, code=code))
    assert response.status_code == 200
    assert not Unit.objects.filter(name=new_unit()["name"]).exists()
    if code.strip():
        assert "Mã đơn vị gồm 1 đến 20 ký tự: chữ in hoa A–Z không dấu" in response.text


def test_the_admin_stores_a_typed_code_in_capitals(client, admin_manager, tree):
    client.force_login(admin_manager)
    assert client.post(NEW, new_unit(parent=tree["a"].pk, code=" cs-moi ")).status_code == 302
    assert Unit.objects.get(name=new_unit()["name"]).code == "CS-MOI"


def test_the_import_refuses_a_bad_code_naming_row_and_column(tree, roster_file):
    path = roster_file(
        units=[
            ["CG/TEST", "Q-CG", "CĐCS một", "Cơ sở", "", 10],
            ["A" * 21, "Q-CG", "CĐCS hai", "Cơ sở", "", 10],
            ["cs-ba", "q-cg", "CĐCS ba", "Cơ sở", "", 10],
        ]
    )
    result = import_roster(path, scope=Scope(everything=True), today=date(2026, 3, 15))
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "A (Mã đơn vị)"), (3, "A (Mã đơn vị)")]
    assert result.problems[0]["message"] == (
        "“CG/TEST” không phải mã đơn vị hợp lệ: ghi từ 1 đến 20 ký tự gồm chữ cái A–Z không dấu, chữ số và "
        "dấu gạch ngang (-)."
    )
    assert not Unit.objects.filter(name__startswith="CĐCS").exclude(code__in=["CS-A", "CS-B"]).exists()
    path = roster_file(units=[["cs-ba", "q-cg", "CĐCS ba", "Cơ sở", "", 10]])
    assert import_roster(path, scope=Scope(everything=True), today=date(2026, 3, 15)).ok
    assert Unit.objects.get(code="CS-BA").get_parent() == tree["b"]


@pytest.fixture
def bad_units(tree):
    """Codes an older version let through, below district B."""
    slash = tree["b"].add_child(code="CG/TEST", name="CĐCS mã có gạch chéo", level="grassroots")
    newline = Unit.objects.get(pk=tree["b"].pk).add_child(
        code="CG\nTEST", name="CĐCS mã có xuống dòng", level="grassroots"
    )
    return slash, newline


def test_pages_naming_a_bad_code_do_not_fail(client, auditor, manager_b, bad_units, tree):
    for user in (auditor, manager_b):
        client.force_login(user)
        district = client.get(reverse("organizations:unit_detail", args=["Q-CG"]))
        assert district.status_code == 200 and "CĐCS mã có gạch chéo" in district.text
        for unit in bad_units:
            page = client.get(reverse("organizations:unit_detail", args=[unit.code]))
            assert page.status_code == 200 and unit.name in page.text
        dashboard = client.get(reverse("audit:dashboard"), {"year": 2026, "unit": "Q-CG"})
        assert dashboard.status_code == 200


def test_the_auditor_corrects_a_bad_code_in_the_admin(client, admin_auditor, bad_units):
    slash, _newline = bad_units
    client.force_login(admin_auditor)
    url = f"/admin/roster/units/edit/{slash.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(f"/admin/roster/units/inspect/{slash.pk}/").status_code == 200
    response = client.post(url, edited(slash, code="CG/TEST2"))
    assert response.status_code == 200 and "Mã đơn vị gồm 1 đến 20 ký tự" in response.text
    assert client.post(url, edited(slash, code="cs-test")).status_code == 302
    slash.refresh_from_db()
    assert slash.code == "CS-TEST"
    assert client.post(url, edited(slash, code="CS-B")).status_code == 200  # taken
    # Units are never deleted (kept as history): deleting answers 404, not 500, whatever the code.
    assert client.post(f"/admin/roster/units/delete/{slash.pk}/").status_code == 404


def test_a_manager_edits_a_unit_with_a_bad_code_but_not_its_code(client, manager_b, bad_units):
    from organizations.groups import ensure_groups

    manager_b.groups.add(ensure_groups()["managers"])
    slash, _newline = bad_units
    client.force_login(manager_b)
    url = f"/admin/roster/units/edit/{slash.pk}/"
    response = client.post(url, edited(slash, code="HACKED", name="CĐCS tên mới"))
    assert response.status_code == 302
    slash.refresh_from_db()
    assert (slash.code, slash.name) == ("CG/TEST", "CĐCS tên mới")


def test_the_migration_lists_bad_codes_and_changes_nothing(bad_units, capsys):
    migration = importlib.import_module("organizations.migrations.0007_unit_code_alphabet")
    migration.report_bad_unit_codes(apps, None)
    out = capsys.readouterr().out
    assert "2 unit code(s)" in out and "'CG/TEST'" in out and "'CG\\nTEST'" in out
    assert "Q-CG" not in out
    assert Unit.objects.filter(code="CG/TEST").exists()
