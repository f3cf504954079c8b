"""A token acts with its owner's scope: by enumeration, every endpoint answers 404 for every id of
another district to the Cầu Giấy manager, lists hold only Cầu Giấy, and the auditor sees all."""

import pytest

from .conftest import all_pages, assert_problem

DETAILS = {
    "units": "/units/{}",
    "officers": "/officers/{}",
    "records": "/training-records/{}",
    "certificates": "/certificates/{}",
}
LISTS = {
    "units": "/units",
    "officers": "/officers",
    "roles": "/role-assignments",
    "records": "/training-records",
    "certificates": "/certificates",
    "classes": "/classes",
}
OTHERS = ("ba_dinh", "hoan_kiem")


@pytest.mark.parametrize("kind", list(DETAILS))
def test_cau_giay_manager_gets_404_for_every_id_of_other_districts(world, manager_b, api_as, kind):
    api = api_as(manager_b)
    for area in OTHERS:
        for pk in world[area].ids(kind):
            body = assert_problem(api.get(DETAILS[kind].format(pk)), 404)
            assert body["type"] == "/api/v1/problems/not-found"
    # …and the same answer as for an id nobody has, so nothing is revealed.
    missing = assert_problem(api.get(DETAILS[kind].format(987654)), 404)
    assert missing["detail"] == body["detail"]
    for pk in world["cau_giay"].ids(kind):
        assert api.get(DETAILS[kind].format(pk)).status_code == 200


@pytest.mark.parametrize("kind", list(LISTS))
def test_cau_giay_manager_lists_only_cau_giay(world, manager_b, api_as, kind):
    seen = {item["id"] for item in all_pages(api_as(manager_b), LISTS[kind])}
    own = world["cau_giay"].ids(kind)
    if kind == "officers":
        own |= {manager_b.officer.pk}
    if kind == "units":
        own = {u.pk for u in world["cau_giay"].units}
    if kind == "roles":
        own |= set(manager_b.officer.roles.values_list("pk", flat=True))
    assert seen == own
    for area in OTHERS:
        assert not seen & world[area].ids(kind)


@pytest.mark.parametrize("kind", list(LISTS))
def test_auditor_lists_everything(world, auditor, api_as, kind):
    seen = {item["id"] for item in all_pages(api_as(auditor), LISTS[kind])}
    for area in world.values():
        assert area.ids(kind) <= seen


def test_filters_naming_a_unit_of_another_district_are_404(world, manager_b, api_as):
    api = api_as(manager_b)
    for path in ("/units", "/officers", "/role-assignments", "/training-records", "/certificates"):
        param = "under" if path == "/units" else "unit"
        assert_problem(api.get(path, {param: "Q-BD"}), 404)
        assert api.get(path, {param: "Q-CG"}).status_code == 200


def test_audit_is_scoped(world, manager_b, auditor, api_as):
    mine = api_as(manager_b).get("/audit/2026")
    assert mine.status_code == 200
    body = mine.json()
    assert body["unit"]["code"] == "Q-CG" and body["year"] == 2026
    assert {row["code"] for row in body["units"]} <= {"Q-CG", "CS-B"}
    for code in ("Q-BD", "CS-A", "Q-HK", "CS-HK", "HN"):
        assert_problem(api_as(manager_b).get("/audit/2026", {"unit": code}), 404)
    city = api_as(auditor).get("/audit/2026").json()
    assert city["unit"]["code"] == "HN"
    assert {row["code"] for row in city["units"]} >= {"Q-BD", "Q-CG", "Q-HK"}


def test_write_endpoints_are_scoped_too(world, manager_b, api_as):
    api = api_as(manager_b, "write")
    for area in OTHERS:
        for klass in world[area].classes:
            assert_problem(api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0"]}), 404)
    # Codes of officers elsewhere read as unknown codes, row by row; nothing is recorded.
    klass = world["cau_giay"].classes[0]
    body = assert_problem(
        api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["BD-0", "HK-1"]}), 422
    )
    assert [e["pointer"] for e in body["errors"]] == ["#/officer_codes/0", "#/officer_codes/1"]
