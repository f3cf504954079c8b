"""Bad and hostile files get a clear message and write nothing."""

import io
import os
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from organizations.importing import FileRefused, Scope, import_roster
from organizations.models import Officer
from organizations.tests.conftest import OFFICER_HEADER, encrypted_workbook, officer_row, write_workbook

EVERYTHING = Scope(everything=True)


def refused(path) -> str:
    with pytest.raises(FileRefused) as raised:
        import_roster(str(path), scope=EVERYTHING)
    assert not Officer.objects.exists()
    return str(raised.value)


def test_random_bytes_are_not_a_spreadsheet(tree, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(os.urandom(3000))
    assert "không phải là bảng tính" in refused(path)


def test_empty_file(tree, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refused(path) == "Tệp trống, không có dữ liệu."


def test_header_only_workbook_has_no_rows(tree, tmp_path):
    assert "không có dòng dữ liệu" in refused(write_workbook(tmp_path / "h.xlsx", officers=[]))


def test_workbook_without_template_sheets(tree, tmp_path):
    workbook = Workbook()
    workbook.active.title = "Bảng lương"
    workbook.active.append(["Lương", "Phụ cấp"])
    workbook.active.append([1, 2])
    workbook.save(tmp_path / "other.xlsx")
    assert "tiêu đề cột của mẫu" in refused(tmp_path / "other.xlsx")


def test_password_protected_workbook(tree, tmp_path, capsys):
    path = encrypted_workbook(tmp_path / "locked.xlsx")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # really encrypted: not a zip any more
    message = "Tệp được đặt mật khẩu. Hãy bỏ mật khẩu rồi tải lên lại."
    assert refused(path) == message
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", str(path))
    assert raised.value.returncode == 1 and message in str(raised.value)
    assert not Officer.objects.exists()


def test_an_ole_file_that_is_not_encrypted_is_called_an_old_xls(tree, tmp_path):
    locked = encrypted_workbook(tmp_path / "locked.xlsx").read_bytes()
    # The same container without an EncryptedPackage stream, as an Excel 97–2003 .xls is.
    other = tmp_path / "old.xls"
    other.write_bytes(
        locked.replace("EncryptedPackage".encode("utf-16-le"), "Workbook\0\0\0\0\0\0\0\0".encode("utf-16-le"))
    )
    message = refused(other)
    assert "định dạng Excel 97–2003 (.xls)" in message and "mật khẩu" not in message


def test_file_over_the_size_limit(tree, tmp_path, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 2048
    path = write_workbook(tmp_path / "big.xlsx", officers=[officer_row()])
    message = refused(path)
    assert "vượt giới hạn" in message


def test_a_zip_that_is_not_a_workbook(tree, tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "không phải là tệp Excel" in refused(path)


def _bomb(path, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\x00" * (1 << 20)
            for _ in range(size >> 20):
                member.write(block)


def test_zip_bomb_by_compression_ratio(tree, tmp_path):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 20 << 20)
    assert os.path.getsize(path) < 100_000
    assert "nguy hiểm" in refused(path)


def test_zip_bomb_by_total_uncompressed_size(tree, tmp_path, settings):
    settings.ROSTER_IMPORT_MAX_UNCOMPRESSED_BYTES = 4 << 20
    settings.ROSTER_IMPORT_MAX_COMPRESSION_RATIO = 10**9
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 8 << 20)
    assert "nguy hiểm" in refused(path)


LAUGHS = (
    '<?xml version="1.0"?>{padding}<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
)


def _with_member_replaced(source, target, name, content):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = content.encode() if item.filename == name else old.read(item.filename)
            new.writestr(item, data)


@pytest.mark.parametrize("padding", ["", "<!--" + "x" * 6000 + "-->"])
def test_xml_entity_bomb(tree, tmp_path, padding):
    good = write_workbook(tmp_path / "good.xlsx", officers=[officer_row()])
    bad = tmp_path / "laughs.xlsx"
    _with_member_replaced(good, bad, "xl/worksheets/sheet1.xml", LAUGHS.format(padding=padding))
    # Without padding our own check sees the DOCTYPE; with it, defusedxml refuses it inside openpyxl.
    assert "thực thể XML" in refused(bad)


def test_xml_entity_bomb_in_a_sheet_stored_under_another_name(tree, tmp_path):
    """The workbook's relationships may point a sheet at any part name, not only *.xml."""
    good = write_workbook(tmp_path / "good.xlsx", officers=[officer_row()])
    bad = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                new.writestr("xl/worksheets/sheet1.dat", LAUGHS.format(padding=""))
                continue
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.dat")
            new.writestr(item, data)
    assert "thực thể XML" in refused(bad)
    assert not Officer.objects.exists()


def test_merged_header_cells(tree, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cán bộ"
    sheet.append(OFFICER_HEADER[:1] + ["Họ và tên", None] + OFFICER_HEADER[3:])
    sheet.merge_cells("B1:C1")
    sheet.append(officer_row())
    workbook.save(tmp_path / "merged.xlsx")
    result = import_roster(str(tmp_path / "merged.xlsx"), scope=EVERYTHING)
    assert not result.ok
    assert result.problems[0]["row"] == 1 and result.problems[0]["column"] == "B1:C1"
    assert "gộp" in result.problems[0]["message"]
    assert not Officer.objects.exists()


def test_formula_cells_are_reported(tree, tmp_path):
    row = officer_row()
    row[6] = '=CONCATENATE("CS-","A")'
    result = import_roster(write_workbook(tmp_path / "f.xlsx", officers=[row]), scope=EVERYTHING)
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "G (Mã đơn vị)")]
    assert "công thức" in result.problems[0]["message"]


def test_csv_utf8_is_accepted(tree, tmp_path):
    text = io.StringIO()
    text.write(",".join(OFFICER_HEADER) + "\n")
    text.write(
        "CB-1,Nguyễn Thị Minh Khai,05/03/1985,Nữ,0912345678,khai@example.vn,"
        "CS-A,Tuyên truyền viên,01/01/2024,\n"
    )
    path = tmp_path / "canbo.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    result = import_roster(str(path), scope=EVERYTHING)
    assert result.ok, result.problems
    assert Officer.objects.get(code="CB-1").full_name == "Nguyễn Thị Minh Khai"


def test_csv_in_another_encoding(tree, tmp_path):
    text = ",".join(OFFICER_HEADER) + "\nCB-1,Nguyễn Văn An\n"
    path = tmp_path / "canbo.csv"
    path.write_bytes(
        text.encode("utf-8") + "Trần Thị Hà\n".encode("latin-1", errors="replace") + b"H\xe0 N\xf4i\n"
    )
    assert "UTF-8" in refused(path)


# ------------------------------------------------------- cell references beyond Excel's grid


def _moved_cell(tmp_path, *changes: tuple[bytes, bytes], name="grid.xlsx", **sheets):
    """A real workbook written by openpyxl whose officer sheet XML has each (old, new) replaced."""
    sheets.setdefault("officers", [officer_row()])
    good = write_workbook(tmp_path / f"good-{name}", **sheets)
    path = tmp_path / name
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in changes:
                    assert old in data
                    data = data.replace(old, new, 1)
            target.writestr(item, data)
    return path


def beyond_the_last_column(tmp_path):
    """The reviewer's 5 KB workbook: A2 renamed ZZZZZZZZ2, about 10^11 columns to the right."""
    return _moved_cell(tmp_path, (b'r="A2"', b'r="ZZZZZZZZ2"'))


BEYOND_THE_GRID = [
    (beyond_the_last_column, "có ô ZZZZZZZZ2 ở dòng 2, nằm ngoài lưới"),
    (lambda tmp_path: _moved_cell(tmp_path, (b'r="B2"', b'r="XFE2"')), "có ô XFE2 ở dòng 2"),
    (
        lambda tmp_path: _moved_cell(tmp_path, (b'<row r="2"', b'<row r="1048577"')),
        "ở dòng 1048577, nằm ngoài lưới",
    ),
]


@pytest.mark.parametrize(("build", "message"), BEYOND_THE_GRID)
def test_a_cell_beyond_excels_grid_is_refused_quickly(tree, tmp_path, build, message):
    import time

    path = build(tmp_path)
    assert os.path.getsize(path) < 10_000
    started = time.monotonic()
    text = refused(path)
    assert time.monotonic() - started < 2
    assert "Trang tính “Cán bộ”" in text and message in text
    assert "XFD" in text and "1.048.576" in text


def test_a_cell_beyond_excels_grid_fails_the_command_with_exit_status_1(tree, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", str(beyond_the_last_column(tmp_path)), "--dry-run")
    assert raised.value.returncode == 1
    assert "có ô ZZZZZZZZ2 ở dòng 2, nằm ngoài lưới" in str(raised.value)
    assert not Officer.objects.exists()


def test_a_cell_beyond_excels_grid_is_a_form_error_on_the_upload_page(
    client, auditor, tree, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from organizations.models import ImportJob, ImportStatus

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.ROSTER_IMPORT_SYNC_BYTES = 10 << 20  # checked inside the request
    client.force_login(auditor)
    upload = SimpleUploadedFile("roster.xlsx", beyond_the_last_column(tmp_path).read_bytes())
    response = client.post(reverse("organizations:import_upload"), {"file": upload})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.text
    assert "có ô ZZZZZZZZ2 ở dòng 2, nằm ngoài lưới" in response.text
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.stored_path == ""
    assert not Officer.objects.exists()


MEMORY_CAPPED = """
import resource, sys
import django
django.setup()
from organizations.importing.files import FileRefused, open_roster

with open("/proc/self/status") as status:
    size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
cap = size + (256 << 20)  # 256 MB more than the interpreter with Django already uses
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    roster = open_roster(sys.argv[1])
    for sheet in roster.sheets:
        for _row in sheet.rows:
            pass
except FileRefused as refused:
    print("refused:", refused)
except MemoryError:
    print("MemoryError")
"""


def _run_memory_capped(path) -> str:
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "PYTHONPATH": str(django_settings.BASE_DIR),
    }
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CAPPED, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=django_settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_the_far_cell_is_refused_without_allocating(tmp_path):
    """Under a 256 MB address-space cap (the old reader needed ~800 GB for this row)."""
    output = _run_memory_capped(beyond_the_last_column(tmp_path))
    assert "refused:" in output and "ZZZZZZZZ2" in output, output


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_csv_line_of_millions_of_separators_is_refused_without_allocating(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(OFFICER_HEADER) + "\nCB-1,An" + "," * 15_000_000 + "\n", encoding="utf-8")
    output = _run_memory_capped(path)
    assert "refused:" in output, output


def test_cells_right_of_the_header_are_ignored(tree, tmp_path):
    """Only the columns under a header are read: a stray value far to the right is not an error."""
    path = _moved_cell(
        tmp_path,
        (b'r="J2"', b'r="XFD2"'),
        officer_header=OFFICER_HEADER[:9],  # no "Ngày kết thúc" column
        officers=[officer_row()[:9] + ["not a date"]],
    )
    result = import_roster(str(path), scope=EVERYTHING)
    assert result.ok, result.problems
    assert Officer.objects.get(code="CB-001").roles.get().end_date is None


def test_a_header_far_to_the_right_is_read_and_named_by_its_own_column(tree, tmp_path):
    """A gap in the header costs nothing, and problems still name the cell's real column."""
    path = _moved_cell(
        tmp_path,
        (b'r="J1"', b'r="XFD1"'),
        (b'r="J2"', b'r="XFD2"'),
        officers=[officer_row(end="01/01/2020")],  # before the start date
    )
    result = import_roster(str(path), scope=EVERYTHING)
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "XFD (Ngày kết thúc)")]
    assert not Officer.objects.exists()


def test_a_csv_row_wider_than_excel_is_refused(tree, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(OFFICER_HEADER) + "\nCB-1,An" + "," * 20_000 + "\n", encoding="utf-8")
    text = refused(path)
    assert "Không đọc được tệp CSV ở gần dòng 2" in text and "16.384 cột" in text
