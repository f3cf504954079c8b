"""A manager's roster upload tells nothing about people or units outside their scope.

An identifier (officer code, e-mail, phone, unit code) held outside the manager's units gets the
same answer as one nobody holds — the same words, the same behaviour, built from the same queries.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.importing import Scope, import_roster
from organizations.models import Officer
from organizations.tests.conftest import officer_row
from organizations.tests.factories import OfficerFactory, UserFactory

TODAY = date(2026, 3, 15)


@pytest.fixture
def elsewhere(tree):
    """An officer of district B (outside manager A's scope) and a staff account with no officer."""
    UserFactory(email="Staff.Only@Example.vn")
    return OfficerFactory(
        unit=tree["gb"],
        code="CB-OUT",
        family_name="Trần",
        middle_name="Văn",
        given_name="Ngoài",
        email="out@example.vn",
        phone="0922000002",
    )


def run(path, manager, **kwargs):
    scope = manager if isinstance(manager, Scope) else Scope.for_user(manager)
    return import_roster(path, scope=scope, today=TODAY, dry_run=True, **kwargs)


def by_row(result) -> dict[int, list[tuple[str, str]]]:
    rows: dict[int, list[tuple[str, str]]] = {}
    for problem in result.problems:
        rows.setdefault(problem["row"], []).append((problem["column"], problem["message"]))
    return rows


def queries(path, manager) -> list[str]:
    """The SQL the check of ``path`` runs, with the values the file gave left out."""
    scope = Scope.for_user(manager)
    with CaptureQueriesContext(connection) as captured:
        run(path, scope)
    return [query["sql"].split(" WHERE ")[0] for query in captured.captured_queries]


def assert_reveals_nothing(result, officer):
    text = " ".join(p["message"] for p in result.problems)
    for secret in (officer.code, officer.unit.code, "Q-CG", officer.given_name):
        assert secret not in text


def test_codes_held_elsewhere_read_exactly_like_codes_nobody_holds(tree, manager_a, elsewhere, roster_file):
    path = roster_file(
        officers=[
            officer_row(code="CB-OUT", email="", phone="", dob=""),  # row 2: district B's officer
            officer_row(code="CB-NOBODY", email="", phone="", dob=""),  # row 3: nobody's code
            officer_row(code="CB-OUT", email="", phone="", dob="", unit="CS-B", role=""),  # row 4
        ]
    )
    result = run(path, manager_a)
    rows = by_row(result)
    assert rows[2] == rows[3]
    assert rows[2] == [
        (
            "A (Mã cán bộ)",
            "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã cán bộ này. Với cán bộ mới, để trống "
            "mã cán bộ: mã cán bộ do Ban Tuyên giáo cấp.",
        )
    ]
    assert_reveals_nothing(result, elsewhere)
    assert not Officer.objects.filter(code="CB-NOBODY").exists()


def test_the_code_sweep_of_the_issue_gets_one_message_for_every_row(tree, manager_a, elsewhere, roster_file):
    """CB000001–CB000700 once answered "belongs to unit CS-0169…" for each code held elsewhere."""
    for n in range(1, 21, 2):
        OfficerFactory(unit=tree["gb"], code=f"CB{n:06d}")
    path = roster_file(
        officers=[officer_row(code=f"CB{n:06d}", email="", phone="", dob="") for n in range(1, 21)]
    )
    result = run(path, manager_a)
    assert result.plan.problem_count == 20
    assert len({(p["column"], p["message"]) for p in result.problems}) == 1
    assert "CS-B" not in result.problems[0]["message"]


def test_checking_a_code_held_elsewhere_costs_the_same_queries_as_one_nobody_holds(
    tree, manager_a, elsewhere, roster_file
):
    held = queries(roster_file(officers=[officer_row(code="CB-OUT", email="", phone="", dob="")]), manager_a)
    nobody = queries(
        roster_file(officers=[officer_row(code="CB-NOBODY", email="", phone="", dob="")]), manager_a
    )
    assert held == nobody


def test_an_email_held_elsewhere_reads_like_one_blocked_for_another_reason(
    tree, manager_a, elsewhere, roster_file
):
    path = roster_file(
        officers=[
            officer_row(code="", name="Lê Một", email="out@example.vn", phone=""),  # district B's officer
            officer_row(code="", name="Lê Hai", email="staff.only@example.vn", phone=""),  # an account
            officer_row(code="", name="Lê Ba", email="new@example.vn", phone=""),  # free: a new officer
        ]
    )
    result = run(path, manager_a)
    rows = by_row(result)
    assert (
        rows[2]
        == rows[3]
        == [
            (
                "F (Thư điện tử)",
                "Không thể dùng địa chỉ thư điện tử này cho cán bộ thuộc đơn vị bạn quản lý. "
                "Nếu địa chỉ đúng, hãy liên hệ Ban Tuyên giáo.",
            )
        ]
    )
    assert 4 not in rows
    assert_reveals_nothing(result, elsewhere)
    # The same queries whichever holds the address.
    one = queries(roster_file(officers=[officer_row(code="", email="out@example.vn")]), manager_a)
    other = queries(roster_file(officers=[officer_row(code="", email="staff.only@example.vn")]), manager_a)
    assert one == other


def test_an_email_in_scope_is_still_matched_and_its_duplicates_named(tree, manager_a, roster_file):
    mine = OfficerFactory(unit=tree["ga"], code="CB-IN", email="in@example.vn", family_name="Phạm")
    path = roster_file(officers=[officer_row(code="", name="Phạm Thị Mới", email="in@example.vn", phone="")])
    result = run(path, manager_a)
    assert result.ok, result.problems
    assert result.summary["officers_updated"] == 1
    assert run(roster_file(officers=[officer_row(code="CB-IN", email="", phone="", dob="")]), manager_a).ok
    OfficerFactory(unit=tree["ga"], code="CB-IN2", email="khai@example.vn")
    result = run(roster_file(officers=[officer_row(code="CB-IN", email="khai@example.vn")]), manager_a)
    assert "CB-IN2" in result.problems[0]["message"]  # inside the scope, the other officer is named
    assert mine.pk


def test_a_phone_held_elsewhere_is_refused_without_saying_whose_it_is(
    tree, manager_a, elsewhere, roster_file
):
    # A number belongs to one officer (they sign in with it): it cannot be given to a second one,
    # but the answer names nobody and is built from the same queries as for a free number.
    held = roster_file(officers=[officer_row(code="", email="", phone="0922 000 002")])
    nobody = roster_file(officers=[officer_row(code="", email="", phone="0933000003")])
    one, other = run(held, manager_a), run(nobody, manager_a)
    assert by_row(one) == {
        2: [
            (
                "E (Số điện thoại)",
                "Không thể dùng số điện thoại này cho cán bộ thuộc đơn vị bạn quản lý. "
                "Nếu số đúng, hãy liên hệ Ban Tuyên giáo.",
            )
        ]
    }
    assert_reveals_nothing(one, elsewhere)
    assert other.ok and other.summary["officers_created"] == 1
    assert queries(held, manager_a) == queries(nobody, manager_a)
    written = import_roster(held, scope=Scope.for_user(manager_a), today=TODAY)
    assert not written.written
    assert Officer.objects.filter(phone="+84922000002").count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.unit == tree["gb"] and elsewhere.full_name == "Trần Văn Ngoài"


def test_a_phone_held_in_scope_names_its_officer(tree, manager_a, roster_file):
    OfficerFactory(unit=tree["ga"], code="CB-IN", email="in@example.vn", phone="0944000004")
    path = roster_file(
        officers=[officer_row(code="", name="Lê Mới", email="moi@example.vn", phone="0944.000.004")]
    )
    result = run(path, manager_a)
    assert [(p["column"], p["message"]) for p in result.problems] == [
        ("E (Số điện thoại)", "Trùng người: số điện thoại 0944 000 004 đã thuộc về cán bộ CB-IN.")
    ]


def test_unit_codes_outside_the_scope_read_like_unknown_ones(tree, manager_a, roster_file):
    path = roster_file(
        units=[
            ["CS-N1", "Q-CG", "CĐCS một", "Cơ sở", "", 10],  # row 2: parent in district B
            ["CS-N2", "Q-NOBODY", "CĐCS hai", "Cơ sở", "", 10],  # row 3: no such parent
        ],
        officers=[
            officer_row(code="", email="", phone="0911000001", unit="CS-B"),  # row 2: district B's unit
            officer_row(code="", email="", phone="0911000002", unit="CS-NOBODY"),  # row 3
        ],
    )
    result = run(path, manager_a)
    units = [p for p in result.problems if p["sheet"] == "Đơn vị"]
    officers = [p for p in result.problems if p["sheet"] == "Cán bộ"]
    assert [(p["column"], p["message"]) for p in units] == 2 * [
        ("B (Mã đơn vị cấp trên)", "Mã đơn vị này không thuộc các đơn vị bạn quản lý.")
    ]
    assert [(p["column"], p["message"]) for p in officers] == 2 * [
        ("G (Mã đơn vị)", "Mã đơn vị này không thuộc các đơn vị bạn quản lý.")
    ]
    held = roster_file(officers=[officer_row(code="", unit="CS-B")])
    nobody = roster_file(officers=[officer_row(code="", unit="CS-NOBODY")])
    assert queries(held, manager_a) == queries(nobody, manager_a)


def test_the_auditor_still_gets_the_precise_messages(tree, auditor, elsewhere, roster_file):
    path = roster_file(
        units=[["CS-N2", "Q-NOBODY", "CĐCS hai", "Cơ sở", "", 10]],
        officers=[officer_row(code="CB-NEW", email="out@example.vn", phone="")],
    )
    result = import_roster(path, scope=Scope.for_user(auditor), today=TODAY, dry_run=True)
    messages = " ".join(p["message"] for p in result.problems)
    assert "Q-NOBODY" in messages and "CB-OUT" in messages
