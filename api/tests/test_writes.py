"""Writes: attendance and roster upserts, all or nothing with every bad row reported; a read-only
token cannot write; limits on the body; the rate limit."""

import json
from datetime import date

from django.test import override_settings

from organizations.models import Officer, RoleAssignment, Unit
from training.models import TrainingRecord
from training.tests.class_factories import InPersonClassFactory

from .conftest import assert_problem


def test_read_only_token_cannot_write(world, manager_b, api_as):
    api = api_as(manager_b, "read")
    klass = world["cau_giay"].classes[0]
    body = assert_problem(api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0"]}), 403)
    assert body["type"] == "/api/v1/problems/forbidden"
    assert_problem(api.post("/roster", {"officers": [{"unit_code": "CS-B", "full_name": "Lê Văn Tám"}]}), 403)
    assert not Officer.objects.filter(family_name="Lê").exists()


def test_attendance_is_recorded_with_the_upload_service(world, manager_b, api_as, tree):
    klass = InPersonClassFactory(organising_unit=tree["b"], title="Lớp mới")
    api = api_as(manager_b, "write")
    response = api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0", " CG-1 "]})
    assert response.status_code == 200, response.content
    assert response.json()["newly_present"] == 2
    records = TrainingRecord.objects.filter(in_person_class=klass)
    assert {r.officer.code for r in records} == {"CG-0", "CG-1"}
    assert {r.recorded_by for r in records} == {manager_b}
    # Sending it again changes nothing.
    again = api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0", "CG-1"]}).json()
    assert again == {"rows": 2, "newly_present": 0, "already_present": 2, "record_ids": []}


def test_attendance_is_all_or_nothing_with_every_bad_entry_reported(world, manager_b, api_as, tree):
    klass = InPersonClassFactory(organising_unit=tree["b"])
    api = api_as(manager_b, "write")
    codes = ["CG-0", "", "NOBODY", "CG-1", "CG-0", "BD-1"]
    body = assert_problem(api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": codes}), 422)
    assert [e["pointer"] for e in body["errors"]] == [
        "#/officer_codes/1",
        "#/officer_codes/2",
        "#/officer_codes/4",
        "#/officer_codes/5",
    ]
    assert not TrainingRecord.objects.filter(in_person_class=klass).exists()


def test_attendance_before_the_class_starts_is_refused(world, manager_b, api_as, tree):
    klass = InPersonClassFactory(
        organising_unit=tree["b"], start_date=date(2099, 1, 1), end_date=date(2099, 1, 2)
    )
    body = assert_problem(
        api_as(manager_b, "write").post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0"]}), 409
    )
    assert "01/01/2099" in body["detail"]


ROSTER = {
    "units": [
        {"code": "CS-CG2", "parent_code": "Q-CG", "name": "CĐCS Bệnh viện Cầu Giấy", "level": "grassroots"}
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
            "unit_code": "CS-B",
        },
    ],
}


def test_roster_upsert_writes_units_officers_and_roles(world, manager_b, api_as):
    api = api_as(manager_b, "write")
    dry = api.post("/roster", {**ROSTER, "dry_run": True})
    assert dry.status_code == 200, dry.content
    assert dry.json()["written"] is False and dry.json()["summary"]["officers_created"] == 1
    assert not Unit.objects.filter(code="CS-CG2").exists()
    response = api.post("/roster", ROSTER)
    assert response.status_code == 200, response.content
    summary = response.json()["summary"]
    assert (summary["units_created"], summary["officers_created"], summary["officers_updated"]) == (1, 1, 1)
    hoa = Officer.objects.get(given_name="Hoa")
    assert (
        hoa.full_name == "Trần Thị Hoa"
        and hoa.unit.code == "CS-CG2"
        and hoa.date_of_birth == date(1990, 4, 30)
    )
    assert RoleAssignment.objects.filter(
        officer=hoa, role="propagandist", start_date=date(2026, 1, 1)
    ).exists()
    assert Officer.objects.get(code="CG-0").full_name == "Phạm Văn Đức"


def test_roster_upsert_is_all_or_nothing_with_every_bad_row_reported(world, manager_b, api_as):
    bad = {
        "units": [
            *ROSTER["units"],
            {"code": "CS-X", "parent_code": "Q-BD", "name": "Ngoài phạm vi", "level": "grassroots"},
        ],
        "officers": [
            *ROSTER["officers"],
            {"full_name": "Ngày Sai", "date_of_birth": "31/02/1990", "unit_code": "CS-B"},
            {"full_name": "Số Sai", "phone": "12", "email": "không-phải-email", "unit_code": "CS-B"},
            {"full_name": "Vai Trò Lạ", "role": "king", "unit_code": "CS-B"},
        ],
    }
    before = (Unit.objects.count(), Officer.objects.count(), RoleAssignment.objects.count())
    body = assert_problem(api_as(manager_b, "write").post("/roster", bad), 422)
    pointers = {e["pointer"] for e in body["errors"]}
    assert {
        "#/officers/2/date_of_birth",
        "#/officers/3/phone",
        "#/officers/3/email",
        "#/officers/4/role",
    } <= pointers
    assert any(p.startswith("#/units/1") for p in pointers)  # a parent outside the manager's scope
    assert all(e["detail"] for e in body["errors"])
    assert (Unit.objects.count(), Officer.objects.count(), RoleAssignment.objects.count()) == before


def test_unknown_fields_are_refused(world, manager_b, api_as, tree):
    api = api_as(manager_b, "write")
    body = assert_problem(api.post("/roster", {"officers": [{"unit_code": "CS-B", "salary": 1}]}), 422)
    assert body["errors"][0]["pointer"] == "#/officers/0/salary"
    assert_problem(api.post("/roster", {"officers": [], "delete_everything": True}), 422)
    klass = world["cau_giay"].classes[0]
    assert_problem(api.post(f"/classes/{klass.pk}/attendance", {"officer_codes": ["CG-0"], "x": 1}), 422)
    assert_problem(api.post("/roster", "{not json"), 400)


def test_too_large_a_body_is_413(world, manager_b, api_as, settings):
    settings.API_MAX_BODY_BYTES = 1000
    rows = [{"unit_code": "CS-B", "full_name": f"Người Số {n}"} for n in range(50)]
    body = assert_problem(api_as(manager_b, "write").post("/roster", {"officers": rows}), 413)
    assert "1000" in body["detail"]
    assert not Officer.objects.filter(given_name="Số").exists()


def test_rate_limit_answers_429_with_retry_after(world, manager_b, api_as):
    api = api_as(manager_b)
    with override_settings(API_RATE_LIMIT_PER_MINUTE=3):
        statuses = [api.get("/units").status_code for _ in range(3)]
        refused = api.get("/units")
    assert statuses == [200, 200, 200]
    body = assert_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert body["type"] == "/api/v1/problems/rate-limited"
    # Another token of the same person has its own count.
    assert api_as(manager_b).get("/units").status_code == 200


def test_problem_documents_are_json(world, manager_b, api_as):
    response = api_as(manager_b).get("/units/999999")
    assert json.loads(response.content)["status"] == 404
