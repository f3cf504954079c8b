"""Units in the Wagtail admin: created below a parent in the editor's scope; nothing deleted."""

from organizations.models import Officer, Unit, UnitLevel

from .factories import OfficerFactory, UserFactory

NEW = "/admin/roster/units/new/"


def new_unit(**data):
    return {"code": "CS-NEW", "name": "CĐCS Công ty Điện lực Ba Đình", "level": "grassroots", **data}


def test_manager_creates_a_unit_below_a_parent_in_scope(client, admin_manager, tree):
    client.force_login(admin_manager)
    page = client.get(NEW)
    assert page.status_code == 200
    # The parent is picked in the unit chooser, which offers only possible parents in scope.
    assert "/admin/roster/unit-chooser/?parents=1" in page.text
    choices = client.get("/admin/roster/unit-chooser/?parents=1").json()["html"]
    assert "LĐLĐ quận Ba Đình" in choices
    assert "Q-CG" not in choices and "Liên đoàn Lao động" not in choices  # other subtrees, ancestors
    assert "CS-A" not in choices  # a grassroots union cannot have children
    sibling_path = tree["ga"].path
    response = client.post(NEW, new_unit(parent=tree["a"].pk, worker_count=1500))
    assert response.status_code == 302
    unit = Unit.objects.get(code="CS-NEW")
    assert unit.get_parent() == tree["a"]
    assert (unit.level, unit.worker_count) == (UnitLevel.GRASSROOTS, 1500)
    assert Unit.objects.get(pk=tree["a"].pk).numchild == 2
    assert Unit.objects.get(pk=tree["ga"].pk).path == sibling_path  # nothing renumbered
    assert Unit.find_problems() == ([], [], [], [], [])
    # It is in the manager's scope at once, and listed.
    assert "CĐCS Công ty Điện lực Ba Đình" in client.get("/admin/roster/units/").text
    history = client.get(f"/admin/roster/units/history/{unit.pk}/")
    assert history.status_code == 200 and admin_manager.email in history.text  # who created it


def test_manager_cannot_pick_a_parent_outside_scope(client, admin_manager, tree):
    client.force_login(admin_manager)
    for outside in (tree["b"], tree["city"]):
        response = client.post(NEW, new_unit(parent=outside.pk))
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.text or "Select a valid choice" in response.text
    assert not Unit.objects.filter(code="CS-NEW").exists()
    assert Unit.objects.get(pk=tree["b"].pk).numchild == 1


def test_levels_and_codes_are_checked(client, admin_auditor, tree):
    client.force_login(admin_auditor)
    response = client.post(NEW, new_unit(parent=tree["a"].pk, level="upper"))
    assert "không thể đặt dưới" in response.text
    response = client.post(NEW, new_unit(parent=tree["a"].pk, kind="district"))
    assert "Chỉ công đoàn cấp trên trực tiếp" in response.text
    response = client.post(NEW, new_unit(parent=tree["a"].pk, code="CS-B"))
    assert response.status_code == 200 and "đã tồn tại" in response.text
    assert Unit.objects.count() == 5
    # An auditor may add anywhere, e.g. a new district federation under the city.
    response = client.post(
        NEW, new_unit(parent=tree["city"].pk, code="Q-TH", level="upper", kind="district", worker_count="")
    )
    assert response.status_code == 302
    district = Unit.objects.get(code="Q-TH")
    assert district.get_parent() == tree["city"] and (district.kind, district.worker_count) == ("district", 0)


def test_units_and_officers_cannot_be_deleted_in_the_admin(client, admin_auditor, tree):
    officer = OfficerFactory(unit=tree["ga"])
    superuser = UserFactory(email="root@example.vn", is_superuser=True, is_staff=True)
    for user in (admin_auditor, superuser):
        client.force_login(user)
        for kind, pk in (("units", tree["gb"].pk), ("officers", officer.pk)):
            delete = f"/admin/roster/{kind}/delete/{pk}/"
            assert client.get(delete).status_code == 404
            assert client.post(delete).status_code == 404
            assert delete not in client.get(f"/admin/roster/{kind}/").text
            assert delete not in client.get(f"/admin/roster/{kind}/edit/{pk}/").text
    assert Unit.objects.filter(pk=tree["gb"].pk).exists()
    assert Officer.objects.filter(pk=officer.pk).exists()


def test_inspect_pages_show_what_people_read_not_the_tree_bookkeeping(client, admin_auditor, tree):
    import re

    from .factories import OfficerFactory

    def details(url):
        page = client.get(url).text
        labels = [t.strip() for t in re.findall(r"<dt[^>]*>(.*?)</dt>", page, re.S)]
        values = [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<dd[^>]*>(.*?)</dd>", page, re.S)]
        return dict(zip(labels, values, strict=True))

    officer = OfficerFactory(unit=tree["ga"], family_name="Lê", given_name="Hoa", email="")
    client.force_login(admin_auditor)
    unit = details(f"/admin/roster/units/inspect/{tree['a'].pk}/")
    assert not {"Path", "Depth", "Numchild", "ID"} & set(unit)
    assert unit["Đang hoạt động"] == "Có" and unit["Ngày giải thể"] == "—"
    person = details(f"/admin/roster/officers/inspect/{officer.pk}/")
    assert "Sort key" not in person and officer.sort_key not in person.values()
    assert person["Thư điện tử"] == "—" and person["Tài khoản"] == "—"


def edited(unit, **data):
    values = {"code": unit.code, "name": unit.name, "level": unit.level, "kind": unit.kind}
    values["worker_count"] = unit.worker_count
    return {**values, "is_active": "on", "dissolved_on": "", **data}


def test_a_unit_keeps_its_level_between_its_parent_and_its_sub_units(
    client, admin_manager, admin_auditor, tree
):
    """The audit reads levels: a district with grassroots unions below cannot become one of them."""
    district = tree["a"]
    client.force_login(admin_manager)
    url = f"/admin/roster/units/edit/{district.pk}/"
    for level, message in (
        ("grassroots", "Đơn vị cấp “Công đoàn cơ sở” đang trực thuộc đơn vị này"),
        ("city", "không thể đặt dưới"),
    ):
        response = client.post(url, edited(district, level=level, kind=""))
        assert response.status_code == 200 and message in response.text, level
    response = client.post(f"/admin/roster/units/edit/{tree['ga'].pk}/", edited(tree["ga"], kind="district"))
    assert "Chỉ công đoàn cấp trên trực tiếp" in response.text
    assert Unit.objects.get(pk=district.pk).level == "upper"

    # What may change, changes: the name, the worker count, closing the unit.
    response = client.post(
        url, edited(district, name="LĐLĐ quận Ba Đình (mới)", is_active="", dissolved_on="31/12/2026")
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert (district.name, district.is_active, str(district.dissolved_on)) == (
        "LĐLĐ quận Ba Đình (mới)",
        False,
        "2026-12-31",
    )

    client.force_login(admin_auditor)
    city = tree["city"]
    response = client.post(
        f"/admin/roster/units/edit/{city.pk}/", edited(city, level="upper", kind="district")
    )
    assert "Cấp cao nhất của cây là LĐLĐ Thành phố." in response.text
