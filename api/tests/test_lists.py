"""Lists: cursor pages that neither skip nor repeat, filters, ETags, limits on input, and a
query count that does not grow with the page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from certificates.issuing import issue_certificate
from organizations.models import Role, UnitLevel
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UnitFactory
from training.models import RecordSource, TrainingKind, TrainingRecord
from training.tests.class_factories import InPersonClassFactory

from .conftest import ApiClient, all_pages, assert_problem, token_for

LISTS = ["/units", "/officers", "/role-assignments", "/training-records", "/certificates", "/classes"]


@pytest.mark.parametrize("path", LISTS)
def test_pages_are_stable_and_complete(world, auditor, api_as, path):
    api = api_as(auditor)
    whole = api.get(path, {"limit": 200}).json()["items"]
    paged = all_pages(api, path, limit=2)
    assert [item["id"] for item in paged] == [item["id"] for item in whole]
    assert len({item["id"] for item in paged}) == len(paged) > 2


def test_new_rows_do_not_shift_a_page_being_read(world, auditor, api_as, tree):
    api = api_as(auditor)
    first = api.get("/officers", {"limit": 3}).json()
    OfficerFactory(unit=tree["a"], code="NEW-1")  # a higher id: it lands at the end, not on page 2
    second = api.get("/officers", {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert first["items"][-1]["id"] < second["items"][0]["id"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_next_link_and_cursor_tampering(world, auditor, api_as):
    api = api_as(auditor)
    response = api.get("/officers", {"limit": 2})
    body = response.json()
    assert body["next"].startswith("http://testserver/api/v1/officers?") and "cursor=" in body["next"]
    assert response["Link"] == f'<{body["next"]}>; rel="next"'
    assert_problem(api.get("/officers", {"cursor": body["next_cursor"] + "x"}), 400)
    # A cursor of one list is refused by another.
    assert_problem(api.get("/units", {"cursor": body["next_cursor"]}), 400)


def test_etag_gives_304_until_the_page_changes(world, auditor, api_as, tree):
    api = api_as(auditor)
    response = api.get("/officers")
    etag = response["ETag"]
    assert etag.startswith('"') and response["Cache-Control"] == "private, no-cache"
    again = api.get("/officers", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    OfficerFactory(unit=tree["a"], code="NEW-2")
    changed = api.get("/officers", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert api.get("/audit/2026", HTTP_IF_NONE_MATCH=api.get("/audit/2026")["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"limit": "many"}, {"year": 1990}, {"role": "boss"}, {"colour": "red"}],
)
def test_bad_query_parameters_are_400_problems(world, auditor, api_as, params):
    body = assert_problem(api_as(auditor).get("/role-assignments", params), 400)
    assert body["errors"] and body["errors"][0]["pointer"].startswith("#/query/")


def test_unknown_address_is_a_problem_document(world, auditor, api_as):
    assert_problem(api_as(auditor).get("/nothing-here"), 404)


def test_filters(world, auditor, api_as):
    api = api_as(auditor)
    units = all_pages(api, "/units", {"under": "Q-CG"})
    assert [u["code"] for u in units] == ["Q-CG", "CS-B"]
    assert units[1]["parent_code"] == "Q-CG" and units[0]["path"] + "0001" == units[1]["path"]
    grassroots = all_pages(api, "/units", {"level": "grassroots"})
    assert {u["code"] for u in grassroots} == {"CS-A", "CS-B", "CS-HK"}
    officers = all_pages(api, "/officers", {"unit": "Q-HK", "role": "propagandist"})
    assert {o["code"] for o in officers} == {"HK-0", "HK-1"}
    assert all_pages(api, "/officers", {"role": "reporter"}) == []
    records = all_pages(api, "/training-records", {"year": 2026, "unit": "Q-BD", "status": "valid"})
    assert {r["officer_code"] for r in records} == {"BD-0", "BD-1"}
    assert all_pages(api, "/training-records", {"year": 2025}) == []
    since = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert all_pages(api, "/training-records", {"changed_since": since}) == []
    certificates = all_pages(api, "/certificates", {"status": "preparing", "unit": "Q-CG"})
    assert {c["officer_code"] for c in certificates} == {"CG-0", "CG-1"}
    assert all_pages(api, "/certificates", {"status": "valid"}) == []
    ended = all_pages(api, "/role-assignments", {"status": "ended"})
    assert ended == []


def test_certificates_show_number_status_and_verify_url_never_the_file(world, auditor, api_as):
    certificate = world["cau_giay"].certificates[0]
    body = api_as(auditor).get(f"/certificates/{certificate.pk}").json()
    assert body["register_number"] == certificate.number_display
    assert body["status"] == "preparing"
    assert body["verify_url"].startswith("https://hoctap.example.vn/verify/")
    assert "pdf" not in " ".join(body).lower() and "sha256" not in " ".join(body).lower()


def test_dates_are_iso_8601(world, auditor, api_as):
    record = api_as(auditor).get(f"/training-records/{world['ba_dinh'].records[0].pk}").json()
    assert record["completed_on"] == "2026-03-11"
    assert "T" in record["recorded_at"] and record["recorded_at"].endswith(("Z", "+00:00"))


def _grow(tree, start: int, count: int) -> None:
    """``count`` more of everything in Ba Đình: units, officers, roles, records, certificates, classes."""
    for n in range(start, start + count):
        unit = UnitFactory(parent=tree["a"], code=f"GROW-U{n}", level=UnitLevel.GRASSROOTS)
        officer = OfficerFactory(unit=unit, code=f"GROW-{n}")
        RoleAssignmentFactory(officer=officer, unit=unit, role=Role.REPORTER, start_date=date(2024, 1, 1))
        record = TrainingRecord.objects.create(
            officer=officer,
            kind=TrainingKind.ONLINE_COURSE,
            title="Khóa học",
            completed_on=date(2026, 5, 1),
            grants_certificate=True,
            source=RecordSource.MANUAL,
        )
        issue_certificate(record=record)
        InPersonClassFactory(organising_unit=tree["a"])


@pytest.mark.parametrize("path", LISTS + ["/audit/2026"])
def test_query_count_does_not_grow_with_the_page(
    tree, manager_a, client, path, django_assert_max_num_queries
):
    """One row, then forty: the same number of queries (counted on the first, asserted on the second)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = ApiClient(client, token_for(manager_a))
    _grow(tree, 0, 1)
    api.get(path)  # warm: the first request of a process loads content types and the like
    with CaptureQueriesContext(connection) as small:
        assert api.get(path, {} if "audit" in path else {"limit": 200}).status_code == 200
    _grow(tree, 1, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(path, {} if "audit" in path else {"limit": 200})
    assert response.status_code == 200
    rows = response.json()["units" if "audit" in path else "items"]
    assert len(rows) > 40
