"""``changed_since`` on units, officers and role assignments: each row's ``updated_at`` moves with
every kind of write (a save, a bulk import, a bulk close of roles), and the filter reads ISO 8601
with or without an offset."""

from datetime import UTC, date, datetime, timedelta

import pytest

from organizations import services
from organizations.models import Officer, RoleAssignment, Unit

from .conftest import all_pages, assert_problem

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def settled(world):
    """The world, every roster row last changed long ago (naming the column keeps it as given)."""
    for model in (Unit, Officer, RoleAssignment):
        model.objects.update(updated_at=LONG_AGO)
    return world


def codes(api, path, since, key="code"):
    items = all_pages(api, path, {"changed_since": since})
    if key == "id":
        return {item["id"] for item in items}
    return {item[key] for item in items}


def test_each_list_returns_only_what_changed_since(settled, auditor, api_as, tree):
    api = api_as(auditor)
    since = (LONG_AGO + timedelta(days=1)).isoformat()
    assert codes(api, "/units", since) == set()
    assert codes(api, "/officers", since) == set()
    assert codes(api, "/role-assignments", since, key="id") == set()

    unit = Unit.objects.get(code="CS-B")
    unit.worker_count = 321
    unit.save()
    officer = Officer.objects.get(code="CG-1")
    officer.email = "cg1.moi@example.vn"
    officer.save(update_fields=["email"])  # update_fields writes the change time too
    role = settled["ba_dinh"].roles[0]
    services.end_role(assignment=role, end_date=date(2026, 6, 30))

    assert codes(api, "/units", since) == {"CS-B"}
    assert codes(api, "/officers", since) == {"CG-1"}
    assert codes(api, "/role-assignments", since, key="id") == {role.pk}
    # Every row also says when it changed, so a client knows where to start next time.
    (listed,) = all_pages(api, "/role-assignments", {"changed_since": since})
    assert listed["updated_at"].endswith(("Z", "+00:00")) and listed["end_date"] == "2026-06-30"
    assert all(item["updated_at"] for item in all_pages(api, "/units"))
    # Combined with the other filters.
    assert all_pages(api, "/officers", {"changed_since": since, "unit": "Q-BD"}) == []


def test_changed_since_reads_iso_8601_with_an_offset_or_in_hanoi_time(settled, auditor, api_as):
    api = api_as(auditor)
    at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    Unit.objects.filter(code="CS-B").update(updated_at=at)
    inside = ["2026-12-01T01:00:00Z", "2026-12-01T08:00:00+07:00", "2026-12-01T08:00:00", "2026-12-01T07:59"]
    for since in inside:
        assert codes(api, "/units", since) == {"CS-B"}, since
    outside = ["2026-12-01T01:00:01Z", "2026-12-01T08:00:01+07:00", "2026-12-01T08:00:01", "2026-12-02"]
    for since in outside:
        assert codes(api, "/units", since) == set(), since
    for path in ("/units", "/officers", "/role-assignments"):
        body = assert_problem(api.get(path, {"changed_since": "yesterday"}), 400)
        assert body["errors"][0]["pointer"] == "#/query/changed_since"


def test_a_bulk_import_moves_the_change_time_of_what_it_wrote(manager_b, settled, api_as):
    api = api_as(manager_b, "write")
    before = datetime.now(UTC) - timedelta(seconds=1)
    roster = {
        "units": [
            {
                "code": "CS-CG2",
                "parent_code": "Q-CG",
                "name": "CĐCS Bệnh viện Cầu Giấy",
                "level": "grassroots",
            },
            {
                "code": "CS-B",
                "parent_code": "Q-CG",
                "name": "CĐCS Trường Tiểu học Cầu Giấy",
                "level": "grassroots",
            },
        ],
        "officers": [
            {
                "full_name": "Trần Thị Hoa",
                "date_of_birth": "1990-04-30",
                "email": "hoa.tran@example.vn",
                "unit_code": "CS-CG2",
                "role": "propagandist",
                "start_date": "2026-01-01",
            },
            {
                "code": "CG-0",
                "family_name": "Phạm",
                "middle_name": "Văn",
                "given_name": "Đức",
                "unit_code": "Q-CG",
            },
        ],
    }
    response = api.post("/roster", roster)
    assert response.status_code == 200, response.content
    since = before.isoformat()
    # New and bulk-updated rows, not the untouched ones (nor the parent whose child count moved).
    assert codes(api, "/units", since) == {"CS-CG2", "CS-B"}
    hoa = Officer.objects.get(given_name="Hoa")
    assert codes(api, "/officers", since, key="id") == {hoa.pk, Officer.objects.get(code="CG-0").pk}
    assert codes(api, "/role-assignments", since, key="officer_id") == {hoa.pk}
    assert Officer.objects.get(code="CG-1").updated_at == LONG_AGO


def test_closing_roles_in_bulk_moves_their_change_time(settled):
    roles = [settled["cau_giay"].roles[0], settled["hoan_kiem"].roles[1]]
    moment = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
    closed = services.close_roles(closings=[(r.pk, date(2026, 11, 30)) for r in roles], now=moment)
    assert closed == 2
    changed = RoleAssignment.objects.filter(updated_at=moment)
    assert set(changed.values_list("pk", flat=True)) == {r.pk for r in roles}
    # Any other bulk write through the query set moves it as well; bookkeeping alone does not.
    Unit.objects.filter(code="Q-HK").update(numchild=5)
    assert Unit.objects.get(code="Q-HK").updated_at == LONG_AGO
    Unit.objects.filter(code="Q-HK").update(is_active=False)
    assert Unit.objects.get(code="Q-HK").updated_at > LONG_AGO
