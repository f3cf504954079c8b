"""A file damaged after its first rows: a clear message everywhere, never a server error.

Sheets are streamed while the rows are validated, so damage past the first chunk of a sheet only
shows after the file was opened. These workbooks are real ones written by openpyxl, then damaged
inside the zip.
"""

import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from organizations.importing import FileRefused, Scope, import_roster
from organizations.models import ImportJob, ImportStatus, Officer
from organizations.tests.conftest import OFFICER_HEADER, officer_row, write_workbook

SHEET = "xl/worksheets/sheet1.xml"
ROWS = 400  # ~200 KB of sheet XML: far past the parser's first 16 KB chunk


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _good(path):
    rows = [officer_row(code=f"CB-{i}", email=f"p{i}@example.vn", phone="") for i in range(ROWS)]
    return write_workbook(path, officers=rows)


def _rewrite(source, target, change, *, extra=None, stored=False):
    """Copy the workbook with the sheet XML passed through ``change`` (bytes → bytes)."""
    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == SHEET:
                data = change(data)
            new.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return str(target)


def malformed_xml(tmp_path):
    def change(xml):
        assert b'<row r="300">' in xml
        return xml.replace(b'<row r="300">', b'<row r="300"<broken>', 1)

    return _rewrite(_good(tmp_path / "good.xlsx"), tmp_path / "malformed.xlsx", change)


def bad_shared_string(tmp_path):
    def change(xml):
        cell = b'<c r="A300" t="inlineStr"><is><t>CB-298</t></is></c>'
        assert cell in xml
        return xml.replace(cell, b'<c r="A300" t="s"><v>99999</v></c>')

    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>CB-0</t></si></sst>"
    )
    return _rewrite(
        _good(tmp_path / "good.xlsx"),
        tmp_path / "shared.xlsx",
        change,
        extra={"xl/sharedStrings.xml": strings},
    )


def crc_corrupt(tmp_path):
    path = _rewrite(_good(tmp_path / "good.xlsx"), tmp_path / "crc.xlsx", lambda xml: xml, stored=True)
    raw = bytearray(open(path, "rb").read())
    at = raw.find(b"<t>CB-350</t>")
    assert at > 0
    raw[at + 4 : at + 9] = b"XX-35"  # same length, still valid XML; only the checksum is wrong
    with open(path, "wb") as handle:
        handle.write(raw)
    return path


def huge_csv_field(tmp_path):
    lines = [",".join(OFFICER_HEADER)]
    lines += [f"CB-{i},Nguyễn Văn An,,,,,CS-A,,," for i in range(5)]
    lines.append("CB-9," + "A" * 200_000 + ",,,,,CS-A,,,")
    path = tmp_path / "huge.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def huge_csv_header(tmp_path):
    path = tmp_path / "huge-header.csv"
    path.write_text(",".join(OFFICER_HEADER) + "," + "B" * 200_000 + "\nCB-1,An\n", encoding="utf-8")
    return str(path)


DAMAGED = [
    (malformed_xml, "Trang tính “Cán bộ” bị hỏng sau dòng"),
    (bad_shared_string, "Trang tính “Cán bộ” bị hỏng sau dòng 299"),
    (crc_corrupt, "hỏng"),
    (huge_csv_field, "Không đọc được tệp CSV ở gần dòng 7"),
    (huge_csv_header, "Không đọc được tệp CSV ở gần dòng 1"),
]


@pytest.mark.parametrize(("build", "message"), DAMAGED)
def test_import_refuses_a_damaged_file_with_a_message(tree, tmp_path, build, message):
    with pytest.raises(FileRefused) as refused:
        import_roster(build(tmp_path), scope=Scope(everything=True))
    assert message in str(refused.value)
    assert not Officer.objects.exists()


@pytest.mark.parametrize(("build", "message"), DAMAGED[:2] + DAMAGED[3:4])
def test_command_exits_1_with_the_message(tree, tmp_path, build, message):
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", build(tmp_path))
    assert raised.value.returncode == 1
    assert message in str(raised.value)
    assert not Officer.objects.exists()


def _upload(client, path):
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(os.path.basename(path), handle.read())
    return client.post(reverse("organizations:import_upload"), {"file": upload})


@pytest.mark.parametrize(("build", "message"), DAMAGED[:2] + DAMAGED[3:4])
def test_upload_page_shows_a_form_error(client, auditor, tree, tmp_path, settings, build, message):
    settings.ROSTER_IMPORT_SYNC_BYTES = 10 << 20  # checked inside the request
    client.force_login(auditor)
    response = _upload(client, build(tmp_path))
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errorlist"' in response.text  # on the form, next to the file field
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.stored_path == ""
    assert not Officer.objects.exists()


def test_background_job_fails_with_the_message_and_polling_stops(client, auditor, tree, tmp_path, settings):
    settings.ROSTER_IMPORT_SYNC_BYTES = 10
    client.force_login(auditor)
    response = _upload(client, malformed_xml(tmp_path))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    from organizations.tasks import check_roster_import

    assert check_roster_import.run(job.pk) == ImportStatus.FAILED
    status = client.get(reverse("organizations:import_status", args=[job.pk])).json()
    assert status["running"] is False and status["status"] == "failed"
    assert "bị hỏng sau dòng" in status["message"]
    page = client.get(response.url)
    assert "bị hỏng sau dòng" in page.text
    assert "job-progress.js" not in page.text  # no more polling
    job.refresh_from_db()
    assert job.stored_path == ""
    assert not Officer.objects.exists()


def test_impossible_numbers_are_reported_on_their_cell(tree, tmp_path):
    """Valid XML with values no real roster has: a row error each, not a refused file or a crash."""
    from datetime import date

    good = write_workbook(
        tmp_path / "odd.xlsx",
        units=[["CS-N", "Q-BD", "CĐCS mới", "Cơ sở", "", 10**12]],
        officers=[officer_row(dob=date(1985, 3, 5), phone=912345678)],
    )

    def change(xml):
        for old, new in (
            (b'<c r="C2" s="1" t="n"><v>31111</v>', b'<c r="C2" s="1" t="n"><v>1E+300</v>'),
            (b'<c r="E2" t="n"><v>912345678</v>', b'<c r="E2" t="n"><v>1E+400</v>'),
        ):
            xml = xml.replace(old, new)
        return xml

    path = tmp_path / "odder.xlsx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item.filename, change(data) if item.filename == "xl/worksheets/sheet2.xml" else data)
    result = import_roster(str(path), scope=Scope(everything=True))
    where = {(p["sheet"], p["row"], p["column"]): p["message"] for p in result.problems}
    assert set(where) == {
        ("Đơn vị", 2, "F (Số lao động)"),
        ("Cán bộ", 2, "C (Ngày sinh)"),
        ("Cán bộ", 2, "E (Số điện thoại)"),
    }
    assert "quá lớn" in where[("Đơn vị", 2, "F (Số lao động)")]
    assert not Officer.objects.exists()
