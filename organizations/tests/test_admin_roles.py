"""Officers' roles in the Wagtail admin: added and closed within the editor's scope, never deleted."""

from datetime import date

import pytest

from organizations.models import Role, RoleAssignment

from .factories import OfficerFactory, RoleAssignmentFactory, UserFactory

ROLES = "/admin/roster/roles/"
NEW = "/admin/roster/roles/new/"


@pytest.fixture
def inside(tree):
    return OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")


@pytest.fixture
def outside(tree):
    return OfficerFactory(unit=tree["gb"], family_name="Trần", middle_name="Văn", given_name="Bình")


def role(**data):
    return {"role": Role.PROPAGANDIST, "start_date": "2025-01-01", "end_date": "", **data}


def test_manager_adds_a_role_in_scope(client, admin_manager, tree, inside):
    client.force_login(admin_manager)
    history = client.get(f"{ROLES}?officer={inside.pk}")
    assert history.status_code == 200
    assert f"{NEW}?officer={inside.pk}" in history.text  # "Add role assignment" for this officer
    form = client.get(f"{NEW}?officer={inside.pk}")
    assert form.status_code == 200
    assert "CĐCS Công ty May Ba Đình (CS-A)" in form.text
    assert "(CS-B)" not in form.text and "(Q-CG)" not in form.text and "(HN)" not in form.text

    response = client.post(f"{NEW}?officer={inside.pk}", role(unit=tree["ga"].pk))
    assert response.status_code == 302
    assert response.url == f"{ROLES}?officer={inside.pk}"
    added = RoleAssignment.objects.get(officer=inside)
    assert (added.role, added.unit, added.start_date, added.end_date) == (
        Role.PROPAGANDIST,
        tree["ga"],
        date(2025, 1, 1),
        None,
    )
    page = client.get(response.url).text
    assert "Tuyên truyền viên" in page and "01/01/2025" in page and "Đang giữ" in page
    # The history is reachable from the officer's own edit page.
    assert f"{ROLES}?officer={inside.pk}" in client.get(f"/admin/roster/officers/edit/{inside.pk}/").text


def test_a_unit_outside_scope_is_refused(client, admin_manager, tree, inside):
    client.force_login(admin_manager)
    for unit in (tree["gb"], tree["b"], tree["city"]):
        response = client.post(f"{NEW}?officer={inside.pk}", role(unit=unit.pk))
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert not RoleAssignment.objects.filter(officer=inside).exists()


def test_an_officer_outside_scope_cannot_be_given_or_shown_roles(client, admin_manager, tree, outside):
    RoleAssignmentFactory(officer=outside, unit=tree["gb"], start_date=date(2020, 1, 1))
    client.force_login(admin_manager)
    for query in (f"?officer={outside.pk}", "?officer=999999", "?officer=x", ""):
        assert client.get(f"{NEW}{query}").status_code == 404, query
        assert client.post(f"{NEW}{query}", role(unit=tree["ga"].pk)).status_code == 404, query
    assert client.get(f"{ROLES}?officer={outside.pk}").status_code == 404
    assert "Trần Văn Bình" not in client.get(ROLES).text
    assert RoleAssignment.objects.filter(officer=outside).count() == 1


def test_end_before_start_and_overlaps_are_refused(client, admin_manager, tree, inside):
    RoleAssignmentFactory(officer=inside, unit=tree["ga"], role=Role.REPORTER, start_date=date(2024, 3, 1))
    client.force_login(admin_manager)
    url = f"{NEW}?officer={inside.pk}"
    response = client.post(url, role(unit=tree["ga"].pk, start_date="2025-06-01", end_date="2025-01-31"))
    assert "Ngày kết thúc không thể trước ngày bắt đầu (01/06/2025)" in response.text
    response = client.post(url, role(unit=tree["ga"].pk, role=Role.REPORTER, start_date="2025-01-01"))
    assert "Lê Thị Hoa đang giữ vai trò này tại đơn vị này từ 01/03/2024" in response.text
    assert RoleAssignment.objects.filter(officer=inside).count() == 1
    # An earlier, already ended spell of the same role is history and can be recorded.
    response = client.post(
        url, role(unit=tree["ga"].pk, role=Role.REPORTER, start_date="2020-01-01", end_date="2023-12-31")
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(officer=inside, role=Role.REPORTER).count() == 2


def test_closing_a_role_keeps_it_in_the_history(client, admin_manager, tree, inside):
    held = RoleAssignmentFactory(officer=inside, unit=tree["ga"], start_date=date(2022, 5, 1))
    client.force_login(admin_manager)
    close = f"{ROLES}edit/{held.pk}/"
    assert client.get(close).status_code == 200
    response = client.post(close, {"end_date": "2022-04-30"})
    assert "Ngày kết thúc không thể trước ngày bắt đầu (01/05/2022)" in response.text
    assert client.post(close, {"end_date": ""}).status_code == 200
    held.refresh_from_db()
    assert held.end_date is None

    response = client.post(close, {"end_date": "2025-12-31"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.end_date == date(2025, 12, 31)
    page = client.get(f"{ROLES}?officer={inside.pk}").text
    assert "31/12/2025" in page and "Đã kết thúc" in page
    # A closed role is history: it is shown, not edited again.
    assert client.get(close).status_code == 404
    assert client.post(close, {"end_date": "2030-01-01"}).status_code == 404
    held.refresh_from_db()
    assert held.end_date == date(2025, 12, 31)
    assert f"{ROLES}inspect/{held.pk}/" in page


def test_roles_outside_scope_cannot_be_closed(client, admin_manager, tree, outside):
    held = RoleAssignmentFactory(officer=outside, unit=tree["gb"], start_date=date(2022, 5, 1))
    client.force_login(admin_manager)
    assert client.get(f"{ROLES}edit/{held.pk}/").status_code == 404
    assert client.post(f"{ROLES}edit/{held.pk}/", {"end_date": "2025-12-31"}).status_code == 404
    assert client.get(f"{ROLES}inspect/{held.pk}/").status_code == 404
    held.refresh_from_db()
    assert held.end_date is None


def test_roles_are_never_deleted(client, admin_manager, admin_auditor, tree, inside):
    held = RoleAssignmentFactory(officer=inside, unit=tree["ga"], start_date=date(2022, 5, 1))
    superuser = UserFactory(email="root@example.vn", is_superuser=True, is_staff=True)
    delete = f"{ROLES}delete/{held.pk}/"
    for user in (admin_manager, admin_auditor, superuser):
        client.force_login(user)
        assert client.get(delete).status_code == 404
        assert client.post(delete).status_code == 404
        assert delete not in client.get(ROLES).text
        assert delete not in client.get(f"{ROLES}edit/{held.pk}/").text
    assert RoleAssignment.objects.filter(pk=held.pk, end_date=None).exists()


@pytest.mark.parametrize("count", [1, 15])
def test_role_listing_queries_do_not_grow(client, admin_manager, tree, count, django_assert_max_num_queries):
    for _ in range(count):
        RoleAssignmentFactory(officer=OfficerFactory(unit=tree["ga"]), unit=tree["ga"])
    client.force_login(admin_manager)
    with django_assert_max_num_queries(15):
        response = client.get(ROLES)
    # The manager's own unit-manager role is listed too.
    assert response.text.count('<td class="title">') == count + 1


def test_every_install_lets_unit_managers_add_and_close_roles(db):
    from django.contrib.auth.models import Group

    from organizations.groups import MANAGER_GROUP

    managers = set(Group.objects.get(name=MANAGER_GROUP).permissions.values_list("codename", flat=True))
    assert {"view_roleassignment", "add_roleassignment", "change_roleassignment"} <= managers
    assert "delete_roleassignment" not in managers


def test_admin_dates_are_shown_and_typed_day_first(client, admin_manager, tree, inside):
    """The admin's date fields read dd/mm/yyyy, as people in Vietnam write dates."""
    inside.date_of_birth = date(1990, 8, 20)
    inside.save()
    client.force_login(admin_manager)
    form = client.get(f"/admin/roster/officers/edit/{inside.pk}/").text
    assert 'value="20/08/1990"' in form
    assert "d/m/Y" in form  # the date picker's own format

    response = client.post(f"{NEW}?officer={inside.pk}", role(unit=tree["ga"].pk, start_date="03/02/2025"))
    assert response.status_code == 302
    assert RoleAssignment.objects.get(officer=inside).start_date == date(2025, 2, 3)
