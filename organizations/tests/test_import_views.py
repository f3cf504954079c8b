"""The upload page: preview, confirm, scope, bad files, progress endpoint and query counts."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import ImportJob, ImportStatus, Officer
from organizations.tests.conftest import encrypted_workbook, officer_row, write_workbook


def upload(client, path, **extra):
    with open(path, "rb") as handle:
        data = {"file": SimpleUploadedFile(os.path.basename(path), handle.read()), **extra}
    return client.post(reverse("organizations:import_upload"), data)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_learners_cannot_open_the_import_page(client, learner):
    client.force_login(learner)
    assert client.get(reverse("organizations:import_upload")).status_code == 403


def test_preview_then_confirm(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    page = client.get(reverse("organizations:import_upload"))
    assert "Tải mẫu trống" in page.text
    response = upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]))
    job = ImportJob.objects.get()
    assert response.url == reverse("organizations:import_detail", args=[job.pk])
    assert job.status == ImportStatus.READY
    assert not Officer.objects.exists()
    preview = client.get(response.url)
    assert "Nguyễn Thị Minh Khai" in preview.text and "Xác nhận nhập" in preview.text
    assert os.path.exists(job.stored_path)
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Officer.objects.filter(code="CB-001").exists()
    assert job.stored_path == ""  # the file is deleted after the import
    # Confirming twice does nothing more.
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    assert Officer.objects.count() == 1


def test_auditor_may_keep_the_file(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]), keep_file="on")
    job = ImportJob.objects.get()
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and os.path.exists(job.stored_path)


def test_errors_are_listed_escaped_and_nothing_written(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    path = write_workbook(tmp_path / "r.xlsx", officers=[officer_row(unit="<script>alert(1)</script>")])
    response = client.get(upload(client, path).url)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
    assert "Không tìm thấy đơn vị có mã" in response.text
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.stored_path == ""
    assert not Officer.objects.exists()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp trống"),
        (os.urandom(500), "không phải là bảng tính"),
        (OLE, "định dạng Excel 97–2003 (.xls)"),
        ("encrypted", "Tệp được đặt mật khẩu"),
    ],
)
def test_bad_files_give_a_clear_message(client, manager_a, content, message, tmp_path):
    if content == "encrypted":
        content = encrypted_workbook(tmp_path / "locked.xlsx").read_bytes()
    client.force_login(manager_a)
    response = client.post(
        reverse("organizations:import_upload"), {"file": SimpleUploadedFile("x.xlsx", content)}, follow=True
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Officer.objects.filter(code="CB-001").exists()  # the encrypted roster's officer


def test_too_large_upload_is_refused_before_storing(client, manager_a, settings, tmp_path):
    settings.ROSTER_IMPORT_MAX_BYTES = 1000
    client.force_login(manager_a)
    response = upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]))
    assert response.status_code == 200 and "vượt giới hạn" in response.text
    assert not ImportJob.objects.exists()


def test_manager_upload_outside_scope_is_refused(client, manager_a, tree, tmp_path):
    client.force_login(manager_a)
    assert "keep_file" not in client.get(reverse("organizations:import_upload")).text
    response = client.get(
        upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row(unit="CS-B")])).url
    )
    assert "không thuộc các đơn vị bạn quản lý" in response.text
    assert not Officer.objects.filter(code="CB-001").exists()


def test_other_users_jobs_are_hidden(client, manager_a, manager_b, tree, tmp_path):
    client.force_login(manager_a)
    upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]))
    job = ImportJob.objects.get()
    client.force_login(manager_b)
    assert client.get(reverse("organizations:import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("organizations:import_confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("organizations:import_status", args=[job.pk])).status_code == 404


def test_big_file_is_checked_in_the_background(
    client, auditor, tree, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ROSTER_IMPORT_SYNC_BYTES = 10
    client.force_login(auditor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]))
    assert len(callbacks) == 1  # the task is sent on commit
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    page = client.get(response.url)
    assert 'class="progress"' in page.text and "job-progress.js" in page.text
    status = client.get(reverse("organizations:import_status", args=[job.pk])).json()
    assert status["running"] is True and status["status"] == "queued"
    from organizations.tasks import check_roster_import

    assert check_roster_import.run(job.pk) == ImportStatus.READY
    assert check_roster_import.run(job.pk) == ImportStatus.READY  # idempotent
    status = client.get(reverse("organizations:import_status", args=[job.pk])).json()
    assert status == {**status, "running": False, "progress": 100, "processed_rows": 1}


def test_blank_template_downloads_and_reimports_cleanly(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    response = client.get(reverse("organizations:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Hướng dẫn", "Đơn vị", "Cán bộ"]
    assert workbook["Cán bộ"]["A1"].value == "Mã cán bộ"
    lists = {
        (sheet, str(v.sqref)): v.formula1
        for sheet in ("Đơn vị", "Cán bộ")
        for v in workbook[sheet].data_validations.dataValidation
    }
    assert lists[("Cán bộ", "K2:K100000")].startswith('"Cán bộ Tuyên giáo,Báo cáo viên')
    assert lists[("Cán bộ", "G2:G100000")] == '"Nam,Nữ,Khác"'
    assert lists[("Đơn vị", "D2:D100000")] == '"Thành phố,Cấp trên trực tiếp,Cơ sở"'
    # Filled in, the template imports.
    workbook["Cán bộ"].append(
        ["CB-T", "", "", "", "Lê Văn Tám", "01/01/1990", "Nam", "", "", "CS-A", "Báo cáo viên"]
    )
    workbook.save(path)
    from organizations.importing import Scope, import_roster

    result = import_roster(str(path), scope=Scope(everything=True))
    assert result.ok, result.problems
    assert Officer.objects.get(code="CB-T").given_name == "Tám"


def test_preview_page_query_count_does_not_grow(
    client, auditor, tree, tmp_path, django_assert_max_num_queries
):
    client.force_login(auditor)
    small = write_workbook(tmp_path / "s.xlsx", officers=[officer_row()])
    rows = [officer_row(code=f"CB-{i}", email=f"p{i}@example.vn", phone="") for i in range(200)]
    big = write_workbook(tmp_path / "b.xlsx", officers=rows)
    for path in (small, big):
        url = upload(client, path).url
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200 and "Xác nhận nhập" in response.text
    bad = write_workbook(
        tmp_path / "e.xlsx", officers=[officer_row(code=f"X{i}", phone="1") for i in range(300)]
    )
    url = upload(client, bad).url
    with django_assert_max_num_queries(8):
        assert "Số điện thoại" in client.get(url).text


def test_close_missing_is_offered_previewed_and_applied(client, manager_a, tree, tmp_path):
    from datetime import date

    from django.utils import timezone

    from organizations.models import Role
    from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory

    OfficerFactory(code="CB-001", email="khai@example.vn", unit=tree["ga"])
    phong = OfficerFactory(
        code="CB-P", family_name="Lê", middle_name="Văn", given_name="Phong", unit=tree["ga"]
    )
    left_out = RoleAssignmentFactory(
        officer=phong, role=Role.REPORTER, unit=tree["ga"], start_date=date(2020, 1, 1)
    )
    client.force_login(manager_a)
    page = client.get(reverse("organizations:import_upload"))
    assert "Đóng vai trò của cán bộ không có trong tệp" in page.text  # offered to managers too
    path = write_workbook(tmp_path / "r.xlsx", officers=[officer_row()])
    response = upload(client, path, close_missing="on")
    job = ImportJob.objects.get()
    assert job.close_missing and job.status == ImportStatus.READY
    preview = client.get(response.url)
    assert "1 vai trò đang mở của cán bộ không có trong tệp" in preview.text
    assert "Lê Văn Phong (CB-P): Báo cáo viên — CS-A" in preview.text
    left_out.refresh_from_db()
    assert left_out.end_date is None  # nothing written before confirming
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    left_out.refresh_from_db()
    assert left_out.end_date == timezone.localdate()


def test_without_close_missing_the_preview_does_not_mention_it(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    response = upload(client, write_workbook(tmp_path / "r.xlsx", officers=[officer_row()]))
    assert not ImportJob.objects.get().close_missing
    assert 'id="roles-closed-absent"' not in client.get(response.url).text


def test_preview_shows_what_a_reimport_overwrites(client, auditor, tree, tmp_path):
    client.force_login(auditor)
    upload(client, write_workbook(tmp_path / "1.xlsx", officers=[officer_row()]))
    client.post(reverse("organizations:import_confirm", args=[ImportJob.objects.get().pk]))
    changed = officer_row(phone="0987 654 321", dob="06/03/1985", gender="Nam", unit="CS-B")
    units = [["CS-A", "Q-BD", "CĐCS <i>May</i>", "Cơ sở", "", "1.250"]]
    response = upload(client, write_workbook(tmp_path / "2.xlsx", units=units, officers=[changed]))
    preview = client.get(response.url).text
    assert "Xác nhận nhập" in preview
    assert "Ngày sinh:</span> <del>05/03/1985</del> → <ins>06/03/1985</ins>" in preview
    assert "Giới tính:</span> <del>Nữ</del> → <ins>Nam</ins>" in preview
    assert "Số điện thoại:</span> <del>0912 345 678</del> → <ins>0987 654 321</ins>" in preview
    assert "Mã đơn vị:</span> <del>CS-A</del> → <ins>CS-B</ins>" in preview
    assert "Số lao động:</span> <del>1200</del> → <ins>1250</ins>" in preview
    assert "<del>CĐCS Công ty May Ba Đình</del> → <ins>CĐCS &lt;i&gt;May&lt;/i&gt;</ins>" in preview
    assert "<i>May</i>" not in preview


def test_the_templates_own_example_rows_import_cleanly(client, auditor, tree, tmp_path):
    """The example rows shown on the instructions sheet, pasted into the data sheets, import as they are."""
    from openpyxl import load_workbook

    from organizations.importing import Scope, import_roster
    from organizations.models import Unit
    from organizations.tests.factories import UnitFactory

    UnitFactory(parent=tree["city"], code="LDLD-CAUGIAY", name="LĐLĐ quận Cầu Giấy", level="upper")
    client.force_login(auditor)
    path = tmp_path / "template.xlsx"
    path.write_bytes(client.get(reverse("organizations:import_template")).content)
    workbook = load_workbook(path)
    guide = [row[: len(row) - next(i for i, v in enumerate(reversed(row)) if v is not None)]
             for row in workbook["Hướng dẫn"].iter_rows(values_only=True) if any(row)]  # fmt: skip
    for title in ("Đơn vị", "Cán bộ"):
        header = list(next(workbook[title].iter_rows(max_row=1, values_only=True)))
        example = guide[guide.index(tuple(header)) + 1]
        for column, value in enumerate(example, start=1):
            workbook[title].cell(row=2, column=column, value=value)
    del workbook["Hướng dẫn"]
    workbook.save(path)

    result = import_roster(str(path), scope=Scope(everything=True))

    assert result.ok, result.problems
    assert Unit.objects.get(code="CS-MAY10").worker_count == 1200
    officer = Officer.objects.get(code="CB-000123")
    assert (officer.family_name, officer.middle_name, officer.given_name) == ("Nguyễn", "Thị Minh", "Khai")
    assert officer.unit.code == "CS-MAY10" and officer.roles.get().role == "propagandist"


def test_an_over_size_upload_is_dropped_as_it_streams_in(client, manager_a, settings, monkeypatch):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.ROSTER_IMPORT_MAX_BYTES = 1048576
    stored = []
    keep = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, raw, start: stored.append(len(raw)) or keep(self, raw, start),
    )
    client.force_login(manager_a)
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"x" * (3 * 1048576))  # past the in-memory size
    response = client.post(reverse("organizations:import_upload"), {"file": big})
    assert response.status_code == 200
    assert "Tệp nặng 3.0 MB, vượt giới hạn 1 MB" in response.text
    assert "Trường này là bắt buộc" not in response.text  # the reason, not "required"
    assert 0 < sum(stored) <= 1048576 + 64 * 1024  # at most one chunk past the limit reached the disk
    assert not ImportJob.objects.exists()


def test_the_upload_page_still_checks_csrf(manager_a, settings, tmp_path):
    from django.test import Client

    settings.ROSTER_IMPORT_MAX_BYTES = 1000
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager_a)
    path = write_workbook(tmp_path / "r.xlsx", officers=[officer_row()])
    assert upload(client, path).status_code == 403  # no token
    client.get(reverse("organizations:import_upload"))
    response = upload(client, path, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    assert response.status_code == 200 and "vượt giới hạn" in response.text
    assert not ImportJob.objects.exists()
