"""Hostile and damaged attendance sheets: a clear message on the page, nothing recorded, no 500.

Each file is built here: a good sheet from openpyxl, then its zip rewritten.
"""

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.tests.factories import OfficerFactory
from training.classes import attendance_import
from training.classes.attendance_import import read_attendance_sheet
from training.models import TrainingRecord

from .class_factories import InPersonClassFactory
from .test_attendance_upload import xlsx

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã cán bộ</t></is></c></row>'


def _good() -> bytes:
    return xlsx([("CB-A1",), ("CB-A2",)]).read()


def _rewritten(replace: dict[str, bytes | str], source: bytes | None = None) -> bytes:
    """The good sheet with some zip members replaced or added (str or bytes) or, when None, removed."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source or _good())) as old,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            if item.filename not in replace:
                new.writestr(item, old.read(item.filename))
            elif replace[item.filename] is not None:
                content = replace[item.filename]
                new.writestr(item, content.encode() if isinstance(content, str) else content)
        for name in set(replace) - set(old.namelist()):  # an added part
            new.writestr(name, replace[name])
    return buffer.getvalue()


def _sheet(rows_xml: str) -> str:
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
    return f"{head}<sheetData>{HEADER_ROW}{rows_xml}</sheetData></worksheet>"


def _code_row(number: int, ref: str, code: str = "CB-A1") -> str:
    return f'<row r="{number}"><c r="{ref}" t="inlineStr"><is><t>{code}</t></is></c></row>'


def huge_cell() -> bytes:
    """One 200 MB cell that compresses to a few hundred kilobytes (the reviewer's file: 800 MB)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_good())) as old,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for item in old.infolist():
            if item.filename != SHEET:
                new.writestr(item, old.read(item.filename))
                continue
            with new.open(SHEET, "w", force_zip64=True) as member:
                member.write(_sheet("").replace("</sheetData>", "").encode())
                member.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
                block = b"A" * (1 << 20)
                for _ in range(200):
                    member.write(block)
                member.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def incompressible_sheet() -> bytes:
    """A plain sheet whose shared strings are random: it compresses badly, so only the total
    uncompressed size can refuse it."""
    strings = "".join(f"<si><t>{os.urandom(600).hex()}</t></si>" for _ in range(2000))
    return _rewritten({"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>'})


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
)


def entity_bomb_padded() -> bytes:
    """The DOCTYPE after a long comment: the prolog is read past comments."""
    return _rewritten({SHEET: LAUGHS.replace("<!DOCTYPE", "<!--" + "x" * 6000 + "--><!DOCTYPE")})


def entity_bomb_under_another_name() -> bytes:
    """The relationships may point the sheet at any part name, not only *.xml: the prolog check
    skips it, and defusedxml refuses the entities when openpyxl parses it."""
    good = _rewritten({SHEET: None})
    with zipfile.ZipFile(io.BytesIO(_good())) as old:
        rels = old.read("xl/_rels/workbook.xml.rels").replace(
            b"worksheets/sheet1.xml", b"worksheets/sheet1.dat"
        )
        types = old.read("[Content_Types].xml").replace(
            b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/sheet1.dat"
        )
    data = _rewritten({"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types}, source=good)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.dat", LAUGHS)
    return buffer.getvalue()


def encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    target = io.BytesIO()
    OOXMLFile(io.BytesIO(_good())).encrypt("Mật-khẩu-2026", target)
    return target.getvalue()


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


HOSTILE = {
    "huge cell (zip bomb)": (huge_cell, "nguy hiểm"),
    "column ZZZZZZZZ": (lambda: _rewritten({SHEET: _sheet(_code_row(2, "ZZZZZZZZ2"))}), "cột XFD"),
    "column XFE": (lambda: _rewritten({SHEET: _sheet(_code_row(2, "A2") + _code_row(3, "XFE3"))}), "cột XFD"),
    "entity bomb": (lambda: _rewritten({SHEET: LAUGHS}), "thực thể XML"),
    "entity bomb after a long comment": (entity_bomb_padded, "thực thể XML"),
    "entity bomb in a sheet under another name": (entity_bomb_under_another_name, "thực thể XML"),
    "entity bomb in the shared strings": (
        lambda: _rewritten({"xl/sharedStrings.xml": LAUGHS.replace("worksheet", "sst")}),
        "thực thể XML",
    ),
    "random bytes": (lambda: os.urandom(3000), "không phải là tệp Excel (.xlsx)"),
    "a CSV file": (lambda: "Mã cán bộ\nCB-A1\n".encode(), "không phải là tệp Excel (.xlsx)"),
    "a Word document": (word_document, "không phải là tệp Excel (.xlsx)"),
    "an empty file": (lambda: b"", "Tệp trống"),
    "password-protected": (encrypted, "Tệp được đặt mật khẩu. Hãy bỏ mật khẩu rồi tải lên lại."),
    "truncated zip": (lambda: _good()[:1500], "bị hỏng"),
    "malformed sheet XML": (lambda: _rewritten({SHEET: _sheet("<row r='2'><c r='A2'")}), "bị hỏng"),
    "no workbook part": (lambda: _rewritten({"xl/workbook.xml": None}), "không phải là tệp Excel (.xlsx)"),
    "a shared string that is not there": (
        lambda: _rewritten({SHEET: _sheet('<row r="2"><c r="A2" t="s"><v>999</v></c></row>')}),
        "bị hỏng",
    ),
}


@pytest.fixture
def roster(tree):
    return [OfficerFactory(unit=tree["ga"], code="CB-A1"), OfficerFactory(unit=tree["a"], code="CB-A2")]


@pytest.mark.parametrize(("build", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_or_damaged_file_is_a_file_level_error(roster, manager_a, build, message):
    data = build()
    assert len(data) < attendance_import.MAX_UPLOAD_BYTES
    tracemalloc.start()
    try:
        sheet = read_attendance_sheet(SimpleUploadedFile("diem-danh.xlsx", data), user=manager_a)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not sheet.ok and sheet.officers == []
    assert [(e.row, e.code) for e in sheet.errors] == [(0, "")]
    assert message in sheet.errors[0].reason
    assert peak < 40 * 1024 * 1024  # nothing was expanded in memory


def test_a_huge_cell_compresses_very_well(roster):
    """The huge-cell file is what the reviewer made: small on the wire, enormous unpacked."""
    data = huge_cell()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(SHEET).file_size > 200 * 1024 * 1024
    assert len(data) < 1024 * 1024


def test_a_big_but_badly_compressing_file_is_refused_by_its_total_size(roster, manager_a, monkeypatch):
    data = incompressible_sheet()
    assert len(data) < attendance_import.MAX_UPLOAD_BYTES
    monkeypatch.setattr(attendance_import, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    sheet = read_attendance_sheet(SimpleUploadedFile("a.xlsx", data), user=manager_a)
    assert "nguy hiểm" in sheet.errors[0].reason and not sheet.officers


def test_a_cell_in_column_xfd_is_still_read(roster, manager_a):
    """XFD is Excel's last column: a note written there is allowed; one column more is not."""
    rows = _code_row(2, "A2") + '<row r="3"><c r="A3" t="inlineStr"><is><t>CB-A2</t></is></c>'
    rows += '<c r="XFD3" t="inlineStr"><is><t>ghi chú</t></is></c></row>'
    data = _rewritten({SHEET: _sheet(rows)})
    sheet = read_attendance_sheet(SimpleUploadedFile("a.xlsx", data), user=manager_a)
    assert sheet.ok and [o.code for o in sheet.officers] == ["CB-A1", "CB-A2"]


def test_a_dimension_claiming_the_whole_sheet_is_not_trusted(roster, manager_a):
    sheet_xml = _sheet(_code_row(2, "A2")).replace(
        "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
    )
    data = _rewritten({SHEET: sheet_xml})
    sheet = read_attendance_sheet(SimpleUploadedFile("a.xlsx", data), user=manager_a)
    assert sheet.ok and [o.code for o in sheet.officers] == ["CB-A1"]


def test_a_row_number_far_down_the_sheet_stops_at_the_row_limit(roster, manager_a):
    data = _rewritten({SHEET: _sheet(_code_row(2, "A2") + _code_row(900000000, "A900000000"))})
    sheet = read_attendance_sheet(SimpleUploadedFile("a.xlsx", data), user=manager_a)
    assert not sheet.ok and "5000" in sheet.errors[0].reason.replace(".", "")


def test_an_overlong_code_is_a_row_error_shown_shortened(roster, manager_a):
    sheet = read_attendance_sheet(xlsx([("CB-A1",), ("X" * 5000,)]), user=manager_a)
    assert not sheet.ok and sheet.officers == []
    [error] = sheet.errors
    assert error.row == 3 and error.code == "X" * 32 + "…"
    assert error.reason == "Mã cán bộ dài hơn 32 ký tự."


@pytest.mark.parametrize(
    ("build", "message"),
    [
        HOSTILE["huge cell (zip bomb)"],
        HOSTILE["column ZZZZZZZZ"],
        HOSTILE["entity bomb"],
        HOSTILE["random bytes"],
    ],
    ids=["huge cell", "column ZZZZZZZZ", "entity bomb", "random bytes"],
)
def test_the_upload_page_shows_the_message_and_records_nothing(
    client, tree, roster, manager_a, build, message
):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(manager_a)
    url = reverse("training:class_upload", args=[klass.pk])
    response = client.post(url, {"sheet": SimpleUploadedFile("diem-danh.xlsx", build())})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Không có cán bộ nào được ghi nhận" in body
    assert not TrainingRecord.objects.exists()
