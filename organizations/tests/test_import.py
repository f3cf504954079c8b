"""Roster import: exact import, row-level errors, re-import and scope."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.vietnamese.names import name_sort_key
from organizations.importing import Scope, import_roster
from organizations.models import Gender, Officer, Role, RoleAssignment, Unit, UnitLevel
from organizations.tests.conftest import OFFICER_HEADER, officer_row
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory

TODAY = date(2026, 3, 15)
EVERYTHING = Scope(everything=True)


def counts():
    return Unit.objects.count(), Officer.objects.count(), RoleAssignment.objects.count()


def run(path, scope=EVERYTHING, **kwargs):
    return import_roster(path, scope=scope, today=TODAY, **kwargs)


def test_good_file_imports_exactly(tree, roster_file):
    path = roster_file(
        units=[
            ["Q-HK", "HN", "LĐLĐ quận Hoàn Kiếm", "Cấp trên trực tiếp", "Quận, huyện", 0],
            ["CS-HK1", "Q-HK", "CĐCS Công ty Bia Hà Nội", "Cơ sở", "", "1.500"],
        ],
        officers=[
            officer_row(unit="CS-HK1"),
            officer_row(unit="CS-HK1", role="Báo cáo viên", start="15/06/2023"),
            officer_row(
                code="CB-002",
                name="Trần Văn Bình",
                dob=date(1979, 12, 31),
                gender="Nam",
                phone=912000111,
                email="Binh@Example.vn",
                unit="Q-HK",
                role="Cán bộ Tuyên giáo",
                start="01/02/2020",
                end="31/12/2022",
            ),  # fmt: skip
            officer_row(code="CB-003", name="Lê Hoa", email="", phone="", role="", unit="CS-A", start=None),
        ],
    )
    result = run(path)
    assert result.ok, result.problems
    assert result.written
    district = Unit.objects.get(code="Q-HK")
    grassroots = Unit.objects.get(code="CS-HK1")
    assert district.get_parent() == tree["city"]
    assert grassroots.get_parent() == district
    assert (district.level, district.kind) == (UnitLevel.UPPER, "district")
    assert (grassroots.level, grassroots.worker_count) == (UnitLevel.GRASSROOTS, 1500)
    assert Unit.find_problems() == ([], [], [], [], [])
    assert tree["city"].__class__.objects.get(pk=tree["city"].pk).numchild == 3

    khai = Officer.objects.get(code="CB-001")
    assert (khai.family_name, khai.middle_name, khai.given_name) == ("Nguyễn", "Thị Minh", "Khai")
    assert khai.date_of_birth == date(1985, 3, 5)
    assert khai.gender == Gender.FEMALE
    assert khai.phone == "+84912345678"  # E.164, however the file wrote it
    assert khai.unit == grassroots
    assert khai.sort_key == name_sort_key("Nguyễn", "Thị Minh", "Khai")
    assert sorted(khai.roles.values_list("role", "start_date", "end_date")) == [
        (Role.PROPAGANDIST, date(2024, 1, 1), None),
        (Role.REPORTER, date(2023, 6, 15), None),
    ]
    binh = Officer.objects.get(code="CB-002")
    assert (binh.email, binh.phone, binh.date_of_birth) == (
        "binh@example.vn",
        "+84912000111",  # a number cell whose leading 0 Excel dropped
        date(1979, 12, 31),
    )
    assert list(binh.roles.values_list("role", "unit__code", "start_date", "end_date")) == [
        (Role.PROPAGANDA_OFFICER, "Q-HK", date(2020, 2, 1), date(2022, 12, 31))
    ]
    hoa = Officer.objects.get(code="CB-003")
    assert (hoa.family_name, hoa.middle_name, hoa.given_name) == ("Lê", "", "Hoa")
    assert not hoa.roles.exists()
    assert result.summary["units_created"] == 2
    assert result.summary["officers_created"] == 3
    assert result.summary["roles_opened"] == 3
    assert list(Officer.objects.sorted_by_name().values_list("given_name", flat=True)) == [
        "Bình",
        "Hoa",
        "Khai",
    ]


def test_separate_name_columns_and_excel_serial_dates(tree, roster_file):
    header = ["Mã cán bộ", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Mã đơn vị", "Vai trò", "Ngày bắt đầu"]
    row = ["CB-9", "Phạm", "Thị Thu", "Hà", 31048, "CS-A", "tuyên  truyền VIÊN", "2024-01-01"]
    path = roster_file(officers=[row], officer_header=header)
    result = run(path)
    assert result.ok, result.problems
    officer = Officer.objects.get(code="CB-9")
    assert officer.full_name == "Phạm Thị Thu Hà"
    assert officer.date_of_birth == date(1985, 1, 1)
    assert officer.roles.get().role == Role.PROPAGANDIST


def test_dry_run_writes_nothing(tree, roster_file):
    before = counts()
    result = run(roster_file(officers=[officer_row()]), dry_run=True)
    assert result.ok and not result.written
    assert result.summary["officers_created"] == 1
    assert counts() == before


BAD_OFFICER_ROWS = [
    ({"dob": "31/02/1990"}, "C (Ngày sinh)", "không có thật"),
    ({"dob": "1990/13/45"}, "C (Ngày sinh)", "dd/mm/yyyy"),
    ({"dob": "01/01/2090"}, "C (Ngày sinh)", "không hợp lý"),
    ({"phone": "12345"}, "E (Số điện thoại)", "số điện thoại"),
    ({"phone": "0199 123 456"}, "E (Số điện thoại)", "số điện thoại"),  # an old 11-digit prefix, gone
    ({"phone": "0912 345"}, "E (Số điện thoại)", "0912 345"),
    ({"email": "khai@@example"}, "F (Thư điện tử)", "thư điện tử"),
    ({"unit": "CS-ZZZ"}, "G (Mã đơn vị)", "CS-ZZZ"),
    ({"role": "Thủ quỹ"}, "H (Vai trò)", "Tuyên truyền viên"),
    ({"gender": "X"}, "D (Giới tính)", "Nam, Nữ"),
    ({"start": "01/01/2024", "end": "01/01/2020"}, "J (Ngày kết thúc)", "trước ngày bắt đầu"),
    ({"name": ""}, "B (Họ và tên)", "trống"),
    ({"dob": "=DATE(1990,1,1)"}, "C (Ngày sinh)", "công thức"),
]


@pytest.mark.parametrize(("change", "column", "reason"), BAD_OFFICER_ROWS)
def test_bad_officer_row_is_reported_and_nothing_written(tree, roster_file, change, column, reason):
    before = counts()
    path = roster_file(officers=[officer_row(code="CB-OK", email="ok@example.vn"), officer_row(**change)])
    result = run(path)
    assert not result.ok and not result.written
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Cán bộ", 3, column)
    assert reason in problem["message"]
    assert counts() == before


BAD_UNIT_ROWS = [
    ([["CS-N", "NOPE", "CĐCS mới", "Cơ sở", "", 10]], 2, "B (Mã đơn vị cấp trên)", "NOPE"),
    ([["CS-N", "", "CĐCS mới", "Cơ sở", "", 10]], 2, "B (Mã đơn vị cấp trên)", "trống"),
    (
        [["CS-N", "Q-BD", "CĐCS mới", "Cơ sở", "", 10], ["CS-N", "Q-BD", "Trùng", "Cơ sở", "", 1]],
        3,
        "A (Mã đơn vị)",
        "dòng 2",
    ),  # fmt: skip
    (
        [["X1", "X2", "Một", "Cấp trên", "", 0], ["X2", "X1", "Hai", "Cấp trên", "", 0]],
        2,
        "B (Mã đơn vị cấp trên)",
        "vòng",
    ),  # fmt: skip
    ([["CS-N", "Q-BD", "CĐCS mới", "Phường", "", 10]], 2, "D (Cấp)", "Cơ sở"),
    ([["CS-N", "Q-BD", "CĐCS mới", "Cơ sở", "", "nhiều"]], 2, "F (Số lao động)", "số nguyên"),
    ([["CS-N", "CS-A", "CĐCS mới", "Cơ sở", "", 5]], 2, "D (Cấp)", "không thể đặt dưới"),
    (
        [["CS-A", "Q-CG", "CĐCS Công ty May Ba Đình", "Cơ sở", "", 5]],
        2,
        "B (Mã đơn vị cấp trên)",
        "không chuyển",
    ),
    # An existing unit's level may change only within the tree's order.
    ([["Q-BD", "", "", "Cơ sở", "", ""]], 2, "D (Cấp)", "CS-A"),
    ([["CS-A", "", "", "Thành phố", "", ""]], 2, "D (Cấp)", "không thể đặt dưới"),
    ([["CS-N", "Q-BD", "CĐCS mới", "Cơ sở", "Ngành", 10]], 2, "E (Loại)", "cấp trên trực tiếp"),
    ([["CS-A", "", "", "", "Ngành", ""]], 2, "E (Loại)", "cấp trên trực tiếp"),
]


@pytest.mark.parametrize(("units", "row", "column", "reason"), BAD_UNIT_ROWS)
def test_bad_unit_row_is_reported_and_nothing_written(tree, roster_file, units, row, column, reason):
    before = counts()
    result = run(roster_file(units=units, officers=[officer_row()]))
    assert not result.ok
    first = result.problems[0]
    assert (first["sheet"], first["row"], first["column"]) == ("Đơn vị", row, column), result.problems
    assert reason in first["message"]
    assert counts() == before


def test_a_level_change_that_keeps_the_tree_order_is_applied(tree, roster_file):
    result = run(
        roster_file(units=[["Q-BD", "", "", "Cấp trên trực tiếp", "Ngành", ""]], officers=[officer_row()])
    )
    assert result.ok, result.problems
    tree["a"].refresh_from_db()
    assert tree["a"].kind == "industry"
    assert not run(roster_file(units=[["Q-BD", "", "", "Cơ sở", "", ""]])).ok
    tree["a"].refresh_from_db()
    assert tree["a"].level == "upper"  # refused: a grassroots union is under it


def test_duplicate_person_is_reported(tree, roster_file):
    path = roster_file(officers=[officer_row(code="CB-1"), officer_row(code="CB-2", name="Khác Người")])
    result = run(path)
    assert [(p["row"], p["column"]) for p in result.problems] == [(3, "F (Thư điện tử)")]
    assert "dòng 2" in result.problems[0]["message"]
    path = roster_file(officers=[officer_row(code="CB-1"), officer_row(code="CB-1", dob="06/03/1985")])
    result = run(path)
    assert [(p["row"], p["column"]) for p in result.problems] == [(3, "C (Ngày sinh)")]


def test_email_of_an_existing_officer_is_a_duplicate_person(tree, roster_file):
    OfficerFactory(code="OLD-1", email="khai@example.vn", unit=tree["ga"])
    result = run(roster_file(officers=[officer_row(code="CB-NEW")]))
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "F (Thư điện tử)")]
    assert "OLD-1" in result.problems[0]["message"]


def test_header_problems(tree, roster_file):
    header = [h if h != "Mã đơn vị" else "Đơn vị công tác" for h in OFFICER_HEADER]
    result = run(roster_file(officers=[officer_row()], officer_header=header))
    assert {(p["row"], p["column"]) for p in result.problems} == {
        (1, "G (Đơn vị công tác)"),
        (1, "Mã đơn vị"),
    }
    assert not Officer.objects.exists()


def test_many_errors_are_all_reported(tree, roster_file):
    rows = [officer_row(code=f"CB-{i}", email=f"p{i}@example.vn", phone="1") for i in range(30)]
    result = run(roster_file(officers=rows))
    assert [p["row"] for p in result.problems] == list(range(2, 32))


def test_reimport_updates_and_closes_roles_without_duplicates(tree, roster_file):
    first = roster_file(
        officers=[
            officer_row(),
            officer_row(role="Báo cáo viên"),
            officer_row(code="CB-2", name="Trần Văn Bình", email="binh@example.vn", phone="0987654321"),
        ]
    )
    assert run(first).ok
    second = roster_file(
        officers=[
            officer_row(phone="0911111111", role="Tuyên truyền viên"),
            officer_row(code="CB-2", name="Trần Văn Bình", email="binh@example.vn", phone="0987654321"),
            officer_row(
                code="CB-3", name="Đỗ Thị Lan", email="lan@example.vn", phone="", role="Chủ tịch CĐCS"
            ),
        ]
    )
    result = run(second)
    assert result.ok, result.problems
    summary = result.summary
    assert (summary["officers_created"], summary["officers_updated"], summary["officers_unchanged"]) == (
        1,
        1,
        1,
    )
    assert (summary["roles_opened"], summary["roles_closed"], summary["roles_unchanged"]) == (1, 1, 2)
    assert Officer.objects.count() == 3
    khai = Officer.objects.get(code="CB-001")
    assert khai.phone == "+84911111111"
    reporter = khai.roles.get(role=Role.REPORTER)
    assert reporter.end_date == TODAY  # closed, kept as history
    assert khai.roles.get(role=Role.PROPAGANDIST).end_date is None
    assert RoleAssignment.objects.count() == 4
    # A third identical run changes nothing.
    again = run(second).summary
    assert (again["officers_updated"], again["roles_opened"], again["roles_closed"]) == (0, 0, 0)
    assert RoleAssignment.objects.count() == 4


def test_reimport_matches_by_email_then_phone_when_there_is_no_code(tree, roster_file):
    by_email = OfficerFactory(code=None, email="khai@example.vn", unit=tree["ga"])
    by_phone = OfficerFactory(code=None, email="", phone="0900000001", unit=tree["ga"])
    path = roster_file(
        officers=[
            officer_row(code=""),
            officer_row(code="", name="Vũ Văn Nam", email="", phone="0900000001", dob="01/01/1970"),
        ]
    )
    result = run(path)
    assert result.ok, result.problems
    assert result.summary["officers_created"] == 0
    by_email.refresh_from_db()
    by_phone.refresh_from_db()
    assert by_email.full_name == "Nguyễn Thị Minh Khai"
    assert by_phone.full_name == "Vũ Văn Nam" and by_phone.date_of_birth == date(1970, 1, 1)


def test_ended_role_in_the_file_closes_the_open_assignment(tree, roster_file):
    officer = OfficerFactory(code="CB-001", email="khai@example.vn", unit=tree["ga"])
    open_role = RoleAssignmentFactory(officer=officer, role=Role.PROPAGANDIST, start_date=date(2020, 1, 1))
    result = run(roster_file(officers=[officer_row(start="01/01/2020", end="30/06/2025")]))
    assert result.ok, result.problems
    open_role.refresh_from_db()
    assert open_role.end_date == date(2025, 6, 30)
    assert RoleAssignment.objects.count() == 1


def test_manager_cannot_import_outside_their_scope(tree, manager_a, roster_file):
    scope = Scope.for_user(manager_a)
    before = counts()
    path = roster_file(
        units=[
            ["CS-NEW", "Q-CG", "CĐCS ngoài phạm vi", "Cơ sở", "", 10],
            ["Q-CG", "HN", "Đổi tên", "Cấp trên", "", 0],
        ],
        # A manager's new officer comes without a code: officer codes are the department's.
        officers=[officer_row(unit="CS-B"), officer_row(code="", email="x@example.vn", unit="CS-A")],
    )
    result = run(path, scope=scope)
    assert not result.ok
    where = {(p["sheet"], p["row"], p["column"]) for p in result.problems}
    assert ("Đơn vị", 2, "B (Mã đơn vị cấp trên)") in where
    assert ("Đơn vị", 3, "A (Mã đơn vị)") in where
    assert ("Cán bộ", 2, "G (Mã đơn vị)") in where
    assert all(p["row"] != 3 for p in result.problems if p["sheet"] == "Cán bộ")
    assert counts() == before
    # An existing officer of another subtree cannot be pulled in either.
    OfficerFactory(code="CB-OUT", email="out@example.vn", unit=tree["gb"])
    result = run(
        roster_file(officers=[officer_row(code="CB-OUT", email="out@example.vn", unit="CS-A")]), scope=scope
    )
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "A (Mã cán bộ)")]
    # Inside the subtree it works, and creating a unit under their district too.
    path = roster_file(
        units=[["CS-A2", "Q-BD", "CĐCS Trường Tiểu học Ba Đình", "Cơ sở", "", 40]],
        officers=[officer_row(code="", unit="CS-A2")],
    )
    assert run(path, scope=scope).ok


def test_manager_roles_outside_scope_are_not_closed(tree, manager_a, roster_file):
    officer = OfficerFactory(code="CB-001", email="khai@example.vn", unit=tree["ga"])
    elsewhere = RoleAssignmentFactory(
        officer=officer, role=Role.REPORTER, unit=tree["gb"], start_date=date(2020, 1, 1)
    )
    result = run(roster_file(officers=[officer_row()]), scope=Scope.for_user(manager_a))
    assert result.ok, result.problems
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None


def test_command_imports_and_reports(tree, roster_file, capsys):
    path = roster_file(officers=[officer_row()])
    call_command("import_roster", path, "--dry-run")
    assert "Cán bộ: 1 tạo mới" in capsys.readouterr().out
    assert not Officer.objects.exists()
    call_command("import_roster", path)
    assert Officer.objects.filter(code="CB-001").exists()
    capsys.readouterr()
    # A dry run of a re-import says what it would overwrite.
    call_command("import_roster", roster_file(officers=[officer_row(phone="0987 654 321")]), "--dry-run")
    out = capsys.readouterr().out
    assert "Nguyễn Thị Minh Khai (CB-001): Số điện thoại: 0912 345 678 → 0987 654 321" in out
    assert Officer.objects.get(code="CB-001").phone == "+84912345678"


def test_command_exits_1_with_row_errors_and_writes_nothing(tree, roster_file, capsys):
    path = roster_file(officers=[officer_row(code="CB-7", email="a@example.vn"), officer_row(phone="abc")])
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", path)
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert "Trang tính “Cán bộ”, dòng 3, cột E (Số điện thoại)" in err
    assert not Officer.objects.exists()


def test_command_as_manager_is_scoped(tree, manager_a, roster_file):
    with pytest.raises(CommandError):
        call_command(
            "import_roster", roster_file(officers=[officer_row(unit="CS-B")]), "--as", manager_a.email
        )
    assert not Officer.objects.filter(code="CB-001").exists()


def test_command_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="trống") as raised:
        call_command("import_roster", str(bad))
    assert raised.value.returncode == 1
    with pytest.raises(CommandError, match="thư mục") as raised:
        call_command("import_roster", str(tmp_path))
    assert raised.value.returncode == 1


NO_ROLE_HEADER = OFFICER_HEADER[:7]  # no "Vai trò", "Ngày bắt đầu", "Ngày kết thúc" columns


def _holder(tree):
    officer = OfficerFactory(code="CB-001", email="khai@example.vn", unit=tree["ga"])
    roles = {
        role: RoleAssignmentFactory(officer=officer, role=role, unit=tree["ga"], start_date=date(2020, 1, 1))
        for role in (Role.PROPAGANDIST, Role.REPORTER, Role.UNIT_MANAGER)
    }
    return officer, roles


def test_sheet_without_a_role_column_closes_no_role(tree, roster_file):
    officer, _roles = _holder(tree)
    path = roster_file(officers=[officer_row(phone="0911111111")[:7]], officer_header=NO_ROLE_HEADER)
    result = run(path)
    assert result.ok, result.problems
    assert result.summary["roles_closed"] == 0
    assert officer.roles.filter(end_date__isnull=True).count() == 3
    officer.refresh_from_db()
    assert officer.phone == "+84911111111"  # the person's details are still updated


def test_blank_role_cell_records_the_person_only(tree, roster_file):
    officer, _roles = _holder(tree)
    result = run(roster_file(officers=[officer_row(role="", start=None)]))
    assert result.ok, result.problems
    assert (result.summary["roles_closed"], result.summary["roles_opened"]) == (0, 0)
    assert officer.roles.filter(end_date__isnull=True).count() == 3


def test_named_roles_close_the_missing_ones_but_never_unit_manager(tree, roster_file):
    officer, roles = _holder(tree)
    result = run(roster_file(officers=[officer_row(role="Tuyên truyền viên", start="01/01/2020")]))
    assert result.ok, result.problems
    assert (result.summary["roles_closed"], result.summary["roles_unchanged"]) == (1, 1)
    for assignment in roles.values():
        assignment.refresh_from_db()
    assert roles[Role.REPORTER].end_date == TODAY
    assert roles[Role.PROPAGANDIST].end_date is None
    assert roles[Role.UNIT_MANAGER].end_date is None
    # Ending the manager role takes a row that says so.
    result = run(
        roster_file(
            officers=[
                officer_row(role="Tuyên truyền viên", start="01/01/2020"),
                officer_row(role="Quản lý đơn vị", start="01/01/2020", end="28/02/2026"),
            ]
        )
    )
    assert result.ok, result.problems
    roles[Role.UNIT_MANAGER].refresh_from_db()
    assert roles[Role.UNIT_MANAGER].end_date == date(2026, 2, 28)


def test_manager_listing_themself_keeps_their_access(tree, manager_a, roster_file):
    from organizations.scope import managed_unit_paths

    me = manager_a.officer
    me.email = "me@example.vn"
    me.save()
    path = roster_file(
        officers=[
            officer_row(code=me.code, name=me.full_name, email=me.email, phone="", unit="Q-BD"),
            officer_row(code=me.code, name=me.full_name, email=me.email, phone="", unit="Q-BD", role=""),
        ]
    )
    result = import_roster(path, scope=Scope.for_user(manager_a))  # today: the real date
    assert result.ok, result.problems
    assert result.summary["roles_closed"] == 0
    assert me.roles.get(role=Role.UNIT_MANAGER).end_date is None
    manager_a.refresh_from_db()
    assert managed_unit_paths(manager_a) == [tree["a"].path]


@pytest.mark.parametrize("typed", ["+84912345678", "84912345678", "0912.345.678", "+84 912 345 678"])
def test_same_phone_under_two_codes_is_a_duplicate_person(tree, roster_file, typed):
    path = roster_file(
        officers=[
            officer_row(code="CB-1", email="a@example.vn", phone="0912 345 678"),
            officer_row(code="CB-1", email="a@example.vn", phone="0912345678", role="Báo cáo viên"),
            officer_row(code="CB-2", name="Trần Văn Bình", dob="", email="b@example.vn", phone=typed),
        ]
    )
    result = run(path)
    assert [(p["row"], p["column"]) for p in result.problems] == [(4, "E (Số điện thoại)")]
    assert "0912 345 678" in result.problems[0]["message"] and "dòng 2" in result.problems[0]["message"]
    assert not Officer.objects.exists()


def test_same_name_and_birth_date_under_two_codes_is_a_duplicate_person(tree, roster_file):
    path = roster_file(
        officers=[
            officer_row(code="CB-1", email="", phone=""),
            officer_row(code="CB-9", name="Trần Văn Bình", email="", phone="", dob="01/01/1980"),
            officer_row(code="CB-2", name="nguyễn  thị minh khai", email="", phone="0987654321"),
        ]
    )
    result = run(path)
    assert [(p["row"], p["column"]) for p in result.problems] == [(4, "B (Họ và tên)")]
    message = result.problems[0]["message"]
    assert "05/03/1985" in message and "dòng 2" in message
    assert not Officer.objects.exists()


def test_namesakes_born_the_same_day_with_their_own_contacts_are_two_people(tree, roster_file):
    path = roster_file(
        officers=[
            officer_row(code="CB-1", email="khai1@example.vn", phone="0911000001"),
            officer_row(code="CB-2", email="khai2@example.vn", phone="0911000002"),
        ]
    )
    result = run(path)
    assert result.ok, result.problems
    assert Officer.objects.filter(given_name="Khai", date_of_birth=date(1985, 3, 5)).count() == 2


def test_progress_is_reported_every_configured_number_of_rows(tree, roster_file, settings):
    settings.ROSTER_IMPORT_PROGRESS_ROWS = 2
    officers = [
        officer_row(code=f"CB-{n}", email=f"p{n}@example.vn", phone=f"09120000{n:02d}") for n in range(5)
    ]
    path = roster_file(
        units=[["CS-A2", "Q-BD", "CĐCS Trường Tiểu học Ba Đình", "Cơ sở", "", 40]], officers=officers
    )
    calls = []
    result = run(path, progress=lambda rows, phase="reading", total=None: calls.append((rows, phase, total)))
    # The total first (for the bar), then every two rows read across both sheets, then the writing.
    assert calls == [
        (0, "reading", 6),
        (2, "reading", None),
        (4, "reading", None),
        (6, "reading", None),
        (6, "writing", None),
    ]
    assert result.written


# ------------------------------------- officers left out of a re-import ("--close-missing")


def _absent_officers(tree):
    """CB-001 (Khai) is in the files below; Phong and Quang are not. Phong works at CS-A, Quang at CS-B."""
    khai = OfficerFactory(code="CB-001", email="khai@example.vn", unit=tree["ga"])
    RoleAssignmentFactory(officer=khai, role=Role.PROPAGANDIST, unit=tree["ga"], start_date=date(2020, 1, 1))
    phong = OfficerFactory(
        code="CB-P", family_name="Lê", middle_name="Văn", given_name="Phong", unit=tree["ga"]
    )
    quang = OfficerFactory(code="CB-Q", unit=tree["gb"])
    roles = {
        "phong_at_a": RoleAssignmentFactory(
            officer=phong, role=Role.REPORTER, unit=tree["ga"], start_date=date(2020, 1, 1)
        ),
        "phong_manager_at_a": RoleAssignmentFactory(
            officer=phong, role=Role.UNIT_MANAGER, unit=tree["ga"], start_date=date(2020, 1, 1)
        ),
        "phong_at_b": RoleAssignmentFactory(
            officer=phong, role=Role.PROPAGANDIST, unit=tree["gb"], start_date=date(2020, 1, 1)
        ),
        "phong_past_at_a": RoleAssignmentFactory(
            officer=phong,
            role=Role.PROPAGANDIST,
            unit=tree["ga"],
            start_date=date(2018, 1, 1),
            end_date=date(2019, 12, 31),
        ),
        "quang_at_b": RoleAssignmentFactory(
            officer=quang, role=Role.PROPAGANDIST, unit=tree["gb"], start_date=date(2020, 1, 1)
        ),
    }
    return roles


def _ends(roles):
    for assignment in roles.values():
        assignment.refresh_from_db()
    return {name: assignment.end_date for name, assignment in roles.items()}


STILL_OPEN = {
    "phong_at_a": None,
    "phong_manager_at_a": None,
    "phong_at_b": None,
    "phong_past_at_a": date(2019, 12, 31),
    "quang_at_b": None,
}
KHAI_AT_A = officer_row(start="01/01/2020")  # CS-A, Tuyên truyền viên: unchanged


def test_reimport_without_close_missing_keeps_the_roles_of_absent_officers(tree, roster_file):
    roles = _absent_officers(tree)
    result = run(roster_file(officers=[KHAI_AT_A]))
    assert result.ok, result.problems
    assert (result.summary["roles_closed"], result.summary["roles_closed_absent"]) == (0, 0)
    assert _ends(roles) == STILL_OPEN


def test_close_missing_closes_exactly_the_absent_officers_roles_at_the_units_of_the_file(tree, roster_file):
    roles = _absent_officers(tree)
    path = roster_file(officers=[KHAI_AT_A])
    preview = run(path, dry_run=True, close_missing=True)
    assert preview.ok and not preview.written
    summary = preview.summary
    assert (summary["roles_closed"], summary["roles_closed_absent"], summary["roles_unchanged"]) == (1, 1, 1)
    assert summary["samples"]["roles_closed_absent"] == [
        {
            "officer": "Lê Văn Phong",
            "code": "CB-P",
            "role": "Báo cáo viên",
            "unit": "CS-A",
            "end": "15/03/2026",
        }
    ]
    assert _ends(roles) == STILL_OPEN  # the dry run wrote nothing
    count = RoleAssignment.objects.count()
    result = run(path, close_missing=True)
    assert result.ok and result.written
    assert result.summary["roles_closed_absent"] == 1
    # Only Phong's role at CS-A (the unit the file covers) ends today; the unit-manager role, his role
    # at CS-B and Quang's (CS-B is not in the file) stay open; nothing is deleted.
    assert _ends(roles) == {**STILL_OPEN, "phong_at_a": TODAY}
    assert RoleAssignment.objects.count() == count
    assert Officer.objects.get(code="CB-001").roles.get().end_date is None
    # Running it again closes nothing more.
    assert run(path, close_missing=True).summary["roles_closed"] == 0


def test_close_missing_stays_inside_the_managers_scope(tree, manager_a, roster_file):
    roles = _absent_officers(tree)
    path = roster_file(officers=[KHAI_AT_A])
    result = run(path, scope=Scope.for_user(manager_a), close_missing=True)
    assert result.ok, result.problems
    assert result.summary["roles_closed_absent"] == 1
    assert _ends(roles) == {**STILL_OPEN, "phong_at_a": TODAY}
    # The manager's own unit-manager role (at Q-BD, not named by the file) is untouched.
    assert manager_a.officer.roles.get(role=Role.UNIT_MANAGER).end_date is None


def test_close_missing_ignores_units_outside_the_uploaders_scope(tree, roster_file):
    """A unit outside the scope is never "covered", even if a row named it (defence in depth:
    such a row is already an error, and a plan with errors closes nothing)."""
    from organizations.importing.planner import Person, Planner

    roles = _absent_officers(tree)
    planner = Planner(Scope(paths=(tree["b"].path,)), TODAY, close_missing=True)
    khai = Person(row=2, key=("code", "CB-001"), code="CB-001", data={}, unit_code="CS-A")
    khai.officer_id = Officer.objects.get(code="CB-001").pk
    planner._close_absent([khai])
    assert planner.plan.roles_to_close == []
    assert _ends(roles) == STILL_OPEN


def test_close_missing_closes_the_roles_of_absent_officers_without_a_code(tree, manager_a, roster_file):
    """Officers a manager added have no code (codes are the department's); closing their roles, at
    a unit where others have codes, once stopped the import with an unexpected error."""
    roles = _absent_officers(tree)
    uncoded = OfficerFactory(
        code=None, family_name="Vũ", middle_name="Thị", given_name="Hoa", unit=tree["ga"]
    )
    hoa = RoleAssignmentFactory(
        officer=uncoded, role=Role.REPORTER, unit=tree["ga"], start_date=date(2021, 1, 1)
    )
    path = roster_file(officers=[KHAI_AT_A])
    preview = run(path, scope=Scope.for_user(manager_a), dry_run=True, close_missing=True)
    assert preview.ok, preview.problems
    assert preview.summary["roles_closed_absent"] == 2
    assert {item["officer"] for item in preview.summary["samples"]["roles_closed_absent"]} == {
        "Lê Văn Phong",
        "Vũ Thị Hoa",
    }
    assert run(path, scope=Scope.for_user(manager_a), close_missing=True).written
    hoa.refresh_from_db()
    assert hoa.end_date == TODAY
    assert _ends(roles) == {**STILL_OPEN, "phong_at_a": TODAY}


def test_command_close_missing_lists_the_closures_and_dry_run_writes_nothing(tree, roster_file, capsys):
    roles = _absent_officers(tree)
    path = roster_file(officers=[KHAI_AT_A])
    call_command("import_roster", path, "--dry-run", "--close-missing")
    out = capsys.readouterr().out
    assert "1 vai trò của cán bộ không có trong tệp" in out
    assert "Lê Văn Phong (CB-P): Báo cáo viên — CS-A" in out
    assert _ends(roles) == STILL_OPEN
    call_command("import_roster", path)
    assert _ends(roles) == STILL_OPEN  # without the flag, nothing is closed
    call_command("import_roster", path, "--close-missing")
    assert _ends(roles)["phong_at_a"] is not None


def test_decomposed_vietnamese_text_is_stored_composed(tree, roster_file):
    """Unikey's "Unicode tổ hợp" types e + combining marks; the roster stores the usual composed form."""
    import unicodedata

    def nfd(text):
        return unicodedata.normalize("NFD", text)

    row = officer_row(name=nfd("Nguyễn Thị Minh Khai"), gender=nfd("Nữ"), role=nfd("Tuyên truyền viên"))
    assert run(roster_file(officers=[row])).ok
    officer = Officer.objects.get(code="CB-001")
    assert (officer.family_name, officer.middle_name) == ("Nguyễn", "Thị Minh")
    assert officer.gender == "female"
    # The same person typed the usual way is unchanged, not an update.
    summary = run(roster_file(officers=[officer_row()])).summary
    assert (summary["officers_unchanged"], summary["officers_updated"]) == (1, 0)


def test_the_preferred_channel_column_sets_the_officer_and_refuses_unknown_values(tree, roster_file):
    header = [*OFFICER_HEADER, "Kênh nhận tin"]
    rows = [
        [*officer_row(code="CB-Z", email="z@example.vn", phone="0912000001"), "Zalo"],
        [*officer_row(code="CB-S", email="s@example.vn", phone="0912000002"), "tin nhắn sms"],
        [*officer_row(code="CB-E", email="e@example.vn", phone="0912000003"), ""],
    ]
    result = run(roster_file(officers=rows, officer_header=header))
    assert result.ok, result.problems
    channels = dict(Officer.objects.values_list("code", "preferred_channel"))
    assert channels == {"CB-Z": "zalo", "CB-S": "sms", "CB-E": ""}
    # A blank cell keeps what the roster has; a wrong one is refused with its row and column.
    again = [*officer_row(code="CB-Z", email="z@example.vn", phone="0912000001"), ""]
    bad = [*officer_row(code="CB-S", email="s@example.vn", phone="0912000002"), "Viber"]
    result = run(roster_file(officers=[again, bad], officer_header=header))
    assert not result.ok and not result.written
    (problem,) = result.problems
    assert (problem["row"], problem["column"]) == (3, "K (Kênh nhận tin)")
    assert "Không rõ kênh “Viber”" in problem["message"]
    assert run(roster_file(officers=[again], officer_header=header)).ok
    assert Officer.objects.get(code="CB-Z").preferred_channel == "zalo"
