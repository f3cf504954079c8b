"""Attendance sheet upload: validated row by row, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from organizations.tests.factories import OfficerFactory
from training.classes import attendance_import
from training.classes.attendance_import import blank_template, read_attendance_sheet
from training.models import RecordSource, TrainingRecord

from .class_factories import InPersonClassFactory


def xlsx(rows, header=("Mã cán bộ", "Họ và tên")) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("diem-danh.xlsx", buffer.getvalue())


@pytest.fixture
def roster(tree):
    return {
        "a1": OfficerFactory(unit=tree["ga"], code="CB-A1"),
        "a2": OfficerFactory(unit=tree["a"], code="CB-A2"),
        "b1": OfficerFactory(unit=tree["gb"], code="CB-B1"),
    }


@pytest.fixture
def klass(tree):
    return InPersonClassFactory(organising_unit=tree["a"])


def test_good_sheet_lists_officers(roster, manager_a):
    sheet = read_attendance_sheet(xlsx([("CB-A1", "Nguyễn Văn An"), ("cb-a2 ",)]), user=manager_a)
    # Codes are matched exactly as the roster stores them; a lower-case code is unknown.
    assert [(e.row, e.reason) for e in sheet.errors] == [
        (3, "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã này.")
    ]
    sheet = read_attendance_sheet(xlsx([("CB-A1", "Nguyễn Văn An"), (" CB-A2 ",)]), user=manager_a)
    assert sheet.ok and sheet.officers == [roster["a1"], roster["a2"]]


def test_every_bad_row_is_reported_with_number_and_reason(roster, manager_a):
    sheet = read_attendance_sheet(
        xlsx(
            [
                ("CB-A1", "đúng"),
                ("", "Trần Văn Trống"),  # row 3: blank
                ("CB-XYZ",),  # row 4: unknown
                ("CB-B1",),  # row 5: outside scope
                ("CB-A1",),  # row 6: duplicate of row 2
                ("CB-A2",),  # row 7: fine
            ]
        ),
        user=manager_a,
    )
    assert not sheet.ok and sheet.officers == []
    assert [(e.row, e.code, e.reason) for e in sheet.errors] == [
        (3, "", "Mã cán bộ bị bỏ trống."),
        (4, "CB-XYZ", "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã này."),
        (
            5,
            "CB-B1",
            "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã này.",
        ),  # the same words: nothing tells it exists elsewhere
        (6, "CB-A1", "Trùng: mã này đã có ở dòng 2."),
    ]


def test_auditor_may_list_anyone(roster, auditor):
    sheet = read_attendance_sheet(xlsx([("CB-A1",), ("CB-B1",)]), user=auditor)
    assert sheet.ok and len(sheet.officers) == 2


def test_codes_typed_as_numbers_are_read_as_text(tree, auditor):
    officer = OfficerFactory(unit=tree["ga"], code="1024")
    sheet = read_attendance_sheet(xlsx([(1024,)]), user=auditor)
    assert sheet.ok and sheet.officers == [officer]


def test_file_level_errors(roster, manager_a, monkeypatch):
    not_excel = SimpleUploadedFile("a.xlsx", b"Ma can bo\nCB-A1\n")
    assert (
        read_attendance_sheet(not_excel, user=manager_a).errors[0].reason
        == "Tệp không phải là tệp Excel (.xlsx)."
    )
    no_header = read_attendance_sheet(xlsx([("CB-A1",)], header=("Mã", "Tên")), user=manager_a)
    assert no_header.errors[0].row == 1 and "Mã cán bộ" in no_header.errors[0].reason
    empty = read_attendance_sheet(xlsx([]), user=manager_a)
    assert empty.errors[0].reason == "Tệp không có mã cán bộ nào."
    monkeypatch.setattr(attendance_import, "MAX_UPLOAD_BYTES", 100)
    too_big = read_attendance_sheet(xlsx([("CB-A1",)]), user=manager_a)
    assert "lớn hơn" in too_big.errors[0].reason


def test_trailing_blank_rows_are_ignored(roster, manager_a):
    sheet = read_attendance_sheet(xlsx([("CB-A1",), ("",), (None, None)]), user=manager_a)
    assert sheet.ok and sheet.officers == [roster["a1"]]


def test_too_many_rows(roster, manager_a, monkeypatch):
    monkeypatch.setattr(attendance_import, "MAX_ROWS", 2)
    sheet = read_attendance_sheet(xlsx([("CB-A1",), ("CB-A2",), ("CB-A2",)]), user=manager_a)
    assert sheet.errors[0].row == 4 and not sheet.officers


def test_blank_template_has_the_header_and_instructions(klass):
    workbook = load_workbook(io.BytesIO(blank_template(klass)))
    assert [c.value for c in workbook.worksheets[0][1]] == ["Mã cán bộ", "Họ và tên"]
    assert "Hướng dẫn" in workbook.sheetnames
    assert klass.title in workbook["Hướng dẫn"]["A2"].value


# --- through the page -----------------------------------------------------------------------------


def test_upload_page_writes_nothing_on_any_error(client, roster, klass, manager_a):
    client.force_login(manager_a)
    url = reverse("training:class_upload", args=[klass.pk])
    response = client.post(url, {"sheet": xlsx([("CB-A1",), ("CB-A2",), ("CB-B1",)])})
    assert response.status_code == 200
    assert not TrainingRecord.objects.exists()
    body = response.content.decode()
    assert "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã này." in body and ">4<" in body
    assert "Không có cán bộ nào được ghi nhận" in body


def test_upload_page_records_all_rows_when_the_sheet_is_good(client, roster, klass, manager_a):
    client.force_login(manager_a)
    url = reverse("training:class_upload", args=[klass.pk])
    response = client.post(url, {"sheet": xlsx([("CB-A1",), ("CB-A2",)])})
    assert response.status_code == 302
    records = TrainingRecord.objects.filter(in_person_class=klass)
    assert records.count() == 2 and {r.source for r in records} == {RecordSource.UPLOAD}
    # Uploading the same sheet again adds nobody twice.
    client.post(url, {"sheet": xlsx([("CB-A1",), ("CB-A2",)])})
    assert records.count() == 2


def test_template_download(client, klass, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("training:class_upload_template", args=[klass.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "Mã cán bộ"


def test_upload_for_a_class_outside_scope_is_404(client, tree, roster, manager_b):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(manager_b)
    response = client.post(reverse("training:class_upload", args=[klass.pk]), {"sheet": xlsx([("CB-B1",)])})
    assert response.status_code == 404
    assert not TrainingRecord.objects.exists()


def test_upload_is_refused_before_the_class_starts(client, roster, tree, manager_a):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=tomorrow, end_date=tomorrow)
    client.force_login(manager_a)
    url = reverse("training:class_upload", args=[klass.pk])
    message = f"Lớp bắt đầu ngày {tomorrow:%d/%m/%Y}: chỉ được điểm danh từ ngày đó trở đi"
    page = client.get(url).content.decode()
    assert message in page and 'type="file"' not in page
    response = client.post(url, {"sheet": xlsx([("CB-A1",), ("CB-A2",)])}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()
