"""A unit manager sees their own subtree and nothing outside it — in lists, by URL and in the admin."""

import pytest
from django.urls import reverse

from organizations.models import Officer
from organizations.scope import can_see_unit, visible_units

from .factories import OfficerFactory


@pytest.fixture
def officers(tree):
    return {
        "a": OfficerFactory(unit=tree["ga"], family_name="Lê", given_name="Hoa", code="OFF-A"),
        "b": OfficerFactory(unit=tree["gb"], family_name="Trần", given_name="Bình", code="OFF-B"),
    }


def test_visible_units_by_persona(tree, auditor, manager_a, learner):
    assert set(visible_units(auditor)) == set(tree.values())
    assert set(visible_units(manager_a)) == {tree["a"], tree["ga"]}
    assert list(visible_units(learner)) == []
    assert can_see_unit(manager_a, tree["ga"]) and not can_see_unit(manager_a, tree["gb"])


def test_ended_manager_role_gives_no_scope(tree, manager_a):
    from datetime import date

    manager_a.officer.roles.update(end_date=date(2021, 1, 1))
    manager_a.refresh_from_db()
    assert list(visible_units(manager_a)) == []


def test_officer_list_shows_only_own_subtree(client, manager_a, officers):
    client.force_login(manager_a)
    response = client.get(reverse("organizations:officer_list"))
    assert response.status_code == 200
    assert "OFF-A" in response.text
    assert "OFF-B" not in response.text


def test_officer_list_search_cannot_reach_outside(client, manager_a, officers):
    client.force_login(manager_a)
    response = client.get(reverse("organizations:officer_list"), {"q": "OFF-B"})
    assert "Trần Văn Bình" not in response.text
    assert "Không có cán bộ nào" in response.text
    response = client.get(reverse("organizations:officer_list"), {"unit": "Q-CG"})
    assert "Trần Văn Bình" not in response.text


def test_officer_outside_scope_is_404_by_url(client, manager_a, officers):
    client.force_login(manager_a)
    assert client.get(reverse("organizations:officer_detail", args=[officers["a"].pk])).status_code == 200
    assert client.get(reverse("organizations:officer_detail", args=[officers["b"].pk])).status_code == 404
    assert client.get(reverse("organizations:unit_detail", args=["Q-CG"])).status_code == 404


def test_learner_cannot_open_roster(client, learner, officers):
    client.force_login(learner)
    assert client.get(reverse("organizations:officer_list")).status_code == 403


def test_auditor_sees_everyone(client, auditor, officers):
    client.force_login(auditor)
    response = client.get(reverse("organizations:officer_list"))
    assert "OFF-A" in response.text and "OFF-B" in response.text


def test_admin_listing_is_scoped(client, admin_manager, officers):
    client.force_login(admin_manager)
    response = client.get("/admin/roster/officers/")
    assert response.status_code == 200
    assert "Lê Văn Hoa" in response.text
    assert "Trần Văn Bình" not in response.text


def test_admin_edit_outside_scope_is_404(client, admin_manager, officers):
    client.force_login(admin_manager)
    inside = f"/admin/roster/officers/edit/{officers['a'].pk}/"
    outside = f"/admin/roster/officers/edit/{officers['b'].pk}/"
    assert client.get(inside).status_code == 200
    assert client.get(outside).status_code == 404
    response = client.post(
        outside, {"family_name": "Hacked", "given_name": "X", "unit": officers["a"].unit_id}
    )
    assert response.status_code == 404
    assert Officer.objects.get(pk=officers["b"].pk).family_name == "Trần"
    assert client.get(f"/admin/roster/officers/delete/{officers['b'].pk}/").status_code == 404
    assert client.get(f"/admin/roster/units/edit/{officers['b'].unit_id}/").status_code == 404


def test_admin_form_offers_only_units_in_scope(client, admin_manager, tree, officers):
    client.force_login(admin_manager)
    response = client.get(f"/admin/roster/officers/edit/{officers['a'].pk}/")
    assert tree["ga"].name in response.text
    assert tree["gb"].name not in response.text


def test_every_install_has_the_staff_groups_after_migrate(db):
    """Not only the demo: migrate makes the groups, so an auditor added to one can work."""
    from django.contrib.auth.models import Group

    from organizations.groups import MANAGER_GROUP
    from organizations.scope import AUDITOR_GROUP

    auditors = set(Group.objects.get(name=AUDITOR_GROUP).permissions.values_list("codename", flat=True))
    managers = set(Group.objects.get(name=MANAGER_GROUP).permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_officer", "change_officer", "add_unit", "view_roleassignment"} <= auditors
    assert {"access_admin", "view_officer", "change_unit"} <= managers
    assert "delete_officer" not in managers


def _out_of_scope_admin_urls(officers, role):
    unit_pk, officer_pk = officers["b"].unit_id, officers["b"].pk
    urls = [
        f"/admin/roster/{kind}/{view}/{pk}/"
        for kind, pk in (("units", unit_pk), ("officers", officer_pk), ("roles", role.pk))
        for view in ("edit", "delete", "history", "history-results", "usage", "inspect")
    ]
    return urls + [
        f"/admin/roster/unit-chooser/chosen/{unit_pk}/",
        f"/admin/roster/units/?parent={unit_pk}",
        f"/admin/roster/roles/?officer={officer_pk}",
        f"/admin/roster/roles/new/?officer={officer_pk}",
    ]


def test_every_admin_url_of_an_object_outside_scope_is_404(client, admin_manager, officers):
    """Typing the address of another district's unit, officer or role finds nothing, in any view."""
    from organizations.models import Role, RoleAssignment

    role = RoleAssignment.objects.create(
        officer=officers["b"], role=Role.PROPAGANDIST, unit=officers["b"].unit, start_date="2025-01-01"
    )
    client.force_login(admin_manager)
    for url in _out_of_scope_admin_urls(officers, role):
        assert client.get(url).status_code == 404, url
    # The chooser's multiple-choice step answers, but with nothing outside the scope.
    response = client.get(f"/admin/roster/unit-chooser/chosen-multiple/?id={officers['b'].unit_id}")
    assert officers["b"].unit.name not in response.text
    response = client.get(reverse("organizations:unit_search"), {"q": officers["b"].unit.name})
    assert response.json() == {"results": []}


def test_site_history_shows_a_manager_only_the_roster_changes_in_scope(
    client, admin_manager, admin_auditor, officers
):
    """Wagtail's site history would list every officer edited anywhere; a manager sees their own."""
    from wagtail.log_actions import log

    for officer in officers.values():
        log(instance=officer, action="wagtail.edit", user=admin_auditor)
        log(instance=officer.unit, action="wagtail.edit", user=admin_auditor)
    inside, outside = officers["a"], officers["b"]

    client.force_login(admin_manager)
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        page = client.get(url)
        assert page.status_code == 200
        assert inside.full_name in page.text and inside.unit.name in page.text
        assert outside.full_name not in page.text and outside.unit.name not in page.text
    export = client.get("/admin/reports/site-history/", {"export": "csv"})
    exported = b"".join(export.streaming_content).decode()
    assert inside.full_name in exported and outside.full_name not in exported

    client.force_login(admin_auditor)
    page = client.get("/admin/reports/site-history/")
    assert inside.full_name in page.text and outside.full_name in page.text


def test_site_history_still_needs_admin_access(client, learner):
    client.force_login(learner)
    response = client.get("/admin/reports/site-history/", follow=True)
    assert response.status_code == 403


def test_ids_no_database_column_can_hold_are_not_found_not_an_error(client, admin_auditor, tree):
    huge = "9" * 25
    client.force_login(admin_auditor)
    for url in (
        f"/admin/roster/roles/?officer={huge}",
        f"/admin/roster/roles/new/?officer={huge}",
        f"/admin/roster/units/?parent={huge}",
        f"/admin/roster/unit-chooser/chosen/{huge}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/admin/roster/units/new/?parent={huge}").status_code == 200
    assert client.get("/roster/officers/", {"page": huge}).status_code == 200
    assert client.get("/roster/officers/", {"unit": huge, "page": huge}).status_code == 404  # no such unit


def test_officer_list_refuses_an_unknown_or_out_of_scope_unit(client, manager_a, tree):
    """A unit filter that is not in the scope must not fall back to listing everyone in it."""
    inside = OfficerFactory(unit=tree["ga"], given_name="Hạnh")
    client.force_login(manager_a)
    url = reverse("organizations:officer_list")
    assert f"/roster/officers/{inside.pk}/" in client.get(url, {"unit": "CS-A"}).text
    for code in ("Q-CG", "CS-B", "KHONG-CO", "Q-BD\x00", "9" * 200):  # another district's, unknown, junk
        response = client.get(url, {"unit": code, "q": "Hạnh"})
        assert response.status_code == 404, code
        assert "Không có đơn vị nào mang mã" in response.text, code
        assert f"/roster/officers/{inside.pk}/" not in response.text
