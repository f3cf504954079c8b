"""Browsing the union tree in the Wagtail admin: one level at a time, inside the viewer's scope."""

import pytest

from .factories import UnitFactory

UNITS = "/admin/roster/units/"
RESULTS = "/admin/roster/units/results/"
CITY_NAME = "Liên đoàn Lao động thành phố Hà Nội"


def listed_codes(html: str, tree) -> set[str]:
    """Codes of the fixture's units that appear as rows of the listing."""
    return {unit.code for unit in tree.values() if f"\n    {unit.code}\n</td>" in html}


def test_auditor_starts_at_the_city_federation_and_goes_down(client, admin_auditor, tree):
    client.force_login(admin_auditor)
    top = client.get(UNITS)
    assert top.status_code == 200
    assert listed_codes(top.text, tree) == {"HN"}
    assert f'<a href="{UNITS}?parent={tree["city"].pk}">2 đơn vị trực thuộc</a>' in top.text

    districts = client.get(f"{UNITS}?parent={tree['city'].pk}")
    assert listed_codes(districts.text, tree) == {"Q-BD", "Q-CG"}
    # Each row names its parent, linked to the parent's children.
    assert districts.text.count(f'<a href="{UNITS}?parent={tree["city"].pk}">{CITY_NAME}</a>') == 2

    grassroots = client.get(f"{UNITS}?parent={tree['a'].pk}")
    assert listed_codes(grassroots.text, tree) == {"CS-A"}
    assert f"?parent={tree['ga'].pk}" not in grassroots.text  # nothing below a grassroots union
    # Breadcrumbs lead back up: Units › the city federation › this district.
    assert f'href="{UNITS}"' in grassroots.text
    assert f'href="{UNITS}?parent={tree["city"].pk}"' in grassroots.text
    assert "LĐLĐ quận Ba Đình" in grassroots.text
    # The search and filter form keeps the unit being browsed.
    assert f'<input type="hidden" name="parent" value="{tree["a"].pk}">' in grassroots.text
    # "Add unit" from here proposes this district as the parent.
    assert f"/admin/roster/units/new/?parent={tree['a'].pk}" in grassroots.text
    form = client.get(f"/admin/roster/units/new/?parent={tree['a'].pk}")
    assert "LĐLĐ quận Ba Đình (Q-BD)" in form.text  # preselected in the unit chooser


def test_manager_starts_at_their_own_unit(client, admin_manager, tree):
    client.force_login(admin_manager)
    top = client.get(UNITS)
    assert listed_codes(top.text, tree) == {"Q-BD"}
    assert CITY_NAME not in top.text  # the parent above their scope is not shown
    below = client.get(f"{UNITS}?parent={tree['a'].pk}")
    assert listed_codes(below.text, tree) == {"CS-A"}
    assert CITY_NAME not in below.text  # nor as a breadcrumb
    assert f'href="{UNITS}?parent={tree["city"].pk}"' not in below.text


@pytest.mark.parametrize("where", [UNITS, RESULTS])
def test_manager_cannot_browse_outside_their_scope(client, admin_manager, tree, where):
    client.force_login(admin_manager)
    for parent in (tree["b"].pk, tree["gb"].pk, tree["city"].pk, 999999, "x", "-1"):
        response = client.get(f"{where}?parent={parent}")
        assert response.status_code == 404, parent
    assert client.get(f"{where}?parent={tree['ga'].pk}").status_code == 200


def test_search_looks_through_the_subtree_in_scope(client, admin_manager, admin_auditor, tree):
    client.force_login(admin_manager)
    found = client.get(f"{RESULTS}?q=CĐCS")
    assert listed_codes(found.text, tree) == {"CS-A"}  # not CS-B, in another district
    assert "LĐLĐ quận Ba Đình</a>" in found.text  # its parent, inside the scope, is shown
    client.force_login(admin_auditor)
    assert listed_codes(client.get(f"{RESULTS}?q=CĐCS").text, tree) == {"CS-A", "CS-B"}
    within = client.get(f"{RESULTS}?q=CĐCS&parent={tree['b'].pk}")
    assert listed_codes(within.text, tree) == {"CS-B"}
    filtered = client.get(f"{RESULTS}?level=grassroots&parent={tree['city'].pk}")
    assert listed_codes(filtered.text, tree) == {"CS-A", "CS-B"}


QUERIES = 16


def _grow(tree, count: int) -> None:
    for _ in range(count):
        UnitFactory(parent=tree["a"])
        UnitFactory(parent=tree["b"])


@pytest.mark.parametrize("extra", [0, 18])
def test_listing_queries_do_not_grow_with_the_units(
    client, admin_manager, admin_auditor, tree, extra, django_assert_max_num_queries
):
    _grow(tree, extra)
    client.force_login(admin_manager)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"{UNITS}?parent={tree['a'].pk}")
    assert response.text.count('<td class="title">') == 1 + extra
    client.force_login(admin_auditor)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"{UNITS}?q=U0&parent={tree['b'].pk}")  # the factory's codes
    assert response.text.count('<td class="title">') == extra
