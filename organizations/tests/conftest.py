"""Builders of roster spreadsheets for the import tests."""

import pytest
from openpyxl import Workbook

UNIT_HEADER = ["Mã đơn vị", "Mã đơn vị cấp trên", "Tên đơn vị", "Cấp", "Loại", "Số lao động"]
OFFICER_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số điện thoại",
    "Thư điện tử",
    "Mã đơn vị",
    "Vai trò",
    "Ngày bắt đầu",
    "Ngày kết thúc",
]


def officer_row(code="CB-001", name="Nguyễn Thị Minh Khai", dob="05/03/1985", gender="Nữ",
                phone="0912 345 678", email="khai@example.vn", unit="CS-A", role="Tuyên truyền viên",
                start="01/01/2024", end=None):  # fmt: skip
    return [code, name, dob, gender, phone, email, unit, role, start, end]


def write_workbook(
    path, *, units=None, officers=None, unit_header=UNIT_HEADER, officer_header=OFFICER_HEADER
):
    workbook = Workbook()
    workbook.remove(workbook.active)
    if units is not None:
        sheet = workbook.create_sheet("Đơn vị")
        sheet.append(unit_header)
        for row in units:
            sheet.append(row)
    if officers is not None:
        sheet = workbook.create_sheet("Cán bộ")
        sheet.append(officer_header)
        for row in officers:
            sheet.append(row)
    workbook.save(path)
    return str(path)


def encrypted_workbook(path, password="Mật-khẩu-2026"):
    """A good roster saved with a password, encrypted as Excel does (an OLE compound file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_workbook(path.with_suffix(".plain.xlsx"), officers=[officer_row()])
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt(password, target)
    return path


@pytest.fixture
def roster_file(tmp_path):
    """roster_file(units=[...], officers=[...]) → path of a new .xlsx in tmp_path."""
    counter = iter(range(1000))

    def build(**kwargs):
        return write_workbook(tmp_path / f"roster{next(counter)}.xlsx", **kwargs)

    return build
