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
