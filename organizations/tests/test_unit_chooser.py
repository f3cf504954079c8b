"""The unit chooser of the Wagtail admin: a searchable, paginated modal limited to the viewer's scope.

Forms with a unit field (officer, role, new unit's parent, in-person class) use it instead of a
<select> of every unit, while the field's scoped queryset still refuses anything outside the scope.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Officer, Unit, UnitLevel

from .factories import OfficerFactory, UnitFactory

CHOOSE = "/admin/roster/unit-chooser/"
RESULTS = "/admin/roster/unit-chooser/results/"


def chosen_url(pk) -> str:
    return f"/admin/roster/unit-chooser/chosen/{pk}/"


def listed(html: str) -> list[str]:
    """Codes of the rows of a chooser listing, in order (the code column follows the name link)."""
    return re.findall(
        r"data-chooser-modal-choice[^>]*>[^<]*</a>\s*(?:</div>\s*)?</td>\s*<td[^>]*>\s*([^<\s]+)", html
    )


def modal_html(response) -> str:
    assert response.status_code == 200
    return response.json()["html"]


def more_units(parent, count: int, prefix: str = "X") -> list[Unit]:
    return [
        UnitFactory(
            parent=parent, code=f"{prefix}-{n:03d}", name=f"CĐCS thêm {n}", level=UnitLevel.GRASSROOTS
        )
        for n in range(count)
    ]


def test_manager_chooser_lists_only_units_in_scope_in_tree_order(client, admin_manager, tree):
    client.force_login(admin_manager)
    html = modal_html(client.get(CHOOSE))
    assert "Chọn đơn vị" in html
    assert listed(html) == ["Q-BD", "CS-A"]
    # The parent's name tells namesakes apart; the city above the manager's scope is not named.
    assert "LĐLĐ quận Ba Đình" in html
    assert "Liên đoàn Lao động thành phố Hà Nội" not in html
    assert "Cầu Giấy" not in html
    assert listed(client.get(RESULTS).text) == ["Q-BD", "CS-A"]


def test_auditor_chooser_lists_the_whole_tree_and_pages_it(client, admin_auditor, tree):
    more_units(tree["b"], 25)
    client.force_login(admin_auditor)
    first = listed(modal_html(client.get(CHOOSE)))
    assert first[:4] == ["HN", "Q-BD", "CS-A", "Q-CG"]
    assert len(first) == 20
    second = listed(client.get(f"{RESULTS}?p=2").text)
    assert len(second) == 30 - 20 and not set(first) & set(second)


def test_search_matches_name_or_code_case_insensitively(client, admin_auditor, tree):
    client.force_login(admin_auditor)
    assert listed(client.get(f"{RESULTS}?q=may+ba").text) == ["CS-A"]
    assert listed(client.get(f"{RESULTS}?q=q-cg").text) == ["Q-CG"]
    assert listed(client.get(f"{RESULTS}?q=CS-").text) == ["CS-A", "CS-B"]
    # Every word must match: the name or the code.
    assert listed(client.get(f"{RESULTS}?q=quận+Q-BD").text) == ["Q-BD"]
    nothing = client.get(f"{RESULTS}?q=zzz").text
    assert listed(nothing) == [] and "zzz" in nothing


def test_a_pasted_wall_of_words_or_a_nul_byte_is_a_search_not_an_error(client, admin_auditor, tree):
    client.force_login(admin_auditor)
    wall = client.get(RESULTS, {"q": "a " * 1200})
    assert wall.status_code == 200
    assert client.get(RESULTS, {"q": "may\x00ba"}).status_code == 200
    # The first words still decide: more than the limit is read as the limit.
    assert listed(client.get(RESULTS, {"q": "may ba " + "a " * 20}).text) == ["CS-A"]


def test_manager_search_never_reaches_outside_the_scope(client, admin_manager, tree):
    client.force_login(admin_manager)
    assert listed(client.get(f"{RESULTS}?q=CS-").text) == ["CS-A"]
    assert listed(client.get(f"{RESULTS}?q=Cầu+Giấy").text) == []


def test_chosen_unit_in_scope_is_returned_and_outside_is_404(client, admin_manager, tree):
    client.force_login(admin_manager)
    chosen = client.get(chosen_url(tree["ga"].pk))
    assert chosen.status_code == 200
    assert chosen.json()["result"]["id"] == str(tree["ga"].pk)
    assert chosen.json()["result"]["title"] == "CĐCS Công ty May Ba Đình (CS-A)"
    for pk in (tree["gb"].pk, tree["b"].pk, tree["city"].pk, 999999, "x"):
        assert client.get(chosen_url(pk)).status_code == 404, pk
    # Several at once: only those in scope come back; ids no column can hold are no error.
    huge = "9" * 25
    response = client.get(
        "/admin/roster/unit-chooser/chosen-multiple/", {"id": [tree["ga"].pk, tree["gb"].pk, huge, "x"]}
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["result"]] == [str(tree["ga"].pk)]
    assert client.get(chosen_url(huge)).status_code == 404


def test_chooser_is_for_admin_users_only(client, manager_b, tree):
    client.force_login(manager_b)  # a manager without admin access
    assert client.get(CHOOSE).status_code in (302, 403)
    assert client.get(chosen_url(tree["gb"].pk)).status_code in (302, 403)


def test_parent_chooser_offers_only_possible_parents(client, admin_auditor, tree):
    client.force_login(admin_auditor)
    assert listed(modal_html(client.get(f"{CHOOSE}?parents=1"))) == ["HN", "Q-BD", "Q-CG"]
    assert listed(client.get(f"{RESULTS}?parents=1&q=CS").text) == []
    assert client.get(f"{chosen_url(tree['ga'].pk)}?parents=1").status_code == 404
    assert client.get(f"{chosen_url(tree['a'].pk)}?parents=1").status_code == 200
    form = client.get(f"/admin/roster/units/new/?parent={tree['a'].pk}").text
    assert f"{CHOOSE}?parents=1" in form
    assert "LĐLĐ quận Ba Đình (Q-BD)" in form
    assert "<option" not in re.sub(r'<select name="(level|kind)".*?</select>', "", form, flags=re.S)


def test_chooser_query_count_does_not_grow_with_units(
    client, admin_auditor, tree, django_assert_max_num_queries
):
    client.force_login(admin_auditor)
    client.get(CHOOSE)  # warm up what is loaded once per process
    with CaptureQueriesContext(connection) as small:
        client.get(CHOOSE)
        client.get(f"{RESULTS}?q=CS")
    more_units(tree["a"], 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        modal_html(client.get(CHOOSE))
        client.get(f"{RESULTS}?q=CS")


# --- forms using the chooser --------------------------------------------------------------------


@pytest.fixture
def officer(tree):
    return OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa", code="CB-1")


def officer_data(officer, **changes):
    return {
        "family_name": officer.family_name,
        "middle_name": officer.middle_name,
        "given_name": officer.given_name,
        "date_of_birth": "",
        "gender": officer.gender,
        "code": officer.code,
        "unit": officer.unit_id,
        "phone": "",
        "email": "",
        **changes,
    }


def test_officer_form_does_not_grow_with_the_tree(client, admin_auditor, tree, officer):
    client.force_login(admin_auditor)
    url = f"/admin/roster/officers/edit/{officer.pk}/"
    before = client.get(url).text
    more_units(tree["b"], 150)
    after = client.get(url).text
    assert after.count("<option") == before.count("<option")
    assert abs(len(after) - len(before)) < 200  # the same page, give or take a token
    assert "CĐCS thêm" not in after and "X-000" not in after
    # The chosen unit is shown by name and code, in a hidden input the chooser fills.
    assert "CĐCS Công ty May Ba Đình (CS-A)" in after
    assert f'<input type="hidden" name="unit" value="{tree["ga"].pk}"' in after
    assert CHOOSE in after


def test_officer_moved_to_a_chosen_unit_in_scope(client, admin_manager, tree, officer):
    client.force_login(admin_manager)
    url = f"/admin/roster/officers/edit/{officer.pk}/"
    response = client.post(url, officer_data(officer, unit=tree["a"].pk))
    assert response.status_code == 302
    assert Officer.objects.get(pk=officer.pk).unit == tree["a"]


def test_officer_cannot_be_moved_outside_scope_by_a_forged_post(client, admin_manager, tree, officer):
    client.force_login(admin_manager)
    url = f"/admin/roster/officers/edit/{officer.pk}/"
    for unit in (tree["gb"], tree["b"], tree["city"]):
        response = client.post(url, officer_data(officer, unit=unit.pk))
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.text
        assert unit.name not in response.text  # the re-shown form does not name the unit either
    assert Officer.objects.get(pk=officer.pk).unit == tree["ga"]


def test_role_form_uses_the_chooser(client, admin_manager, tree, officer):
    client.force_login(admin_manager)
    form = client.get(f"/admin/roster/roles/new/?officer={officer.pk}").text
    assert CHOOSE in form
    assert f'<option value="{tree["ga"].pk}"' not in form


def test_new_unit_under_a_grassroots_or_outside_parent_is_refused(client, admin_manager, tree):
    client.force_login(admin_manager)
    data = {
        "code": "CS-NEW",
        "name": "CĐCS mới",
        "level": UnitLevel.GRASSROOTS,
        "kind": "",
        "worker_count": "",
    }
    for parent in (tree["ga"], tree["b"], tree["city"]):
        response = client.post("/admin/roster/units/new/", {**data, "parent": parent.pk})
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert not Unit.objects.filter(code="CS-NEW").exists()
    response = client.post("/admin/roster/units/new/", {**data, "parent": tree["a"].pk})
    assert response.status_code == 302
    assert Unit.objects.get(code="CS-NEW").get_parent() == tree["a"]
