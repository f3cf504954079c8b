"""The blank roster template: two empty data sheets and an instructions sheet with example rows."""

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets.writing import append, new_workbook, workbook_bytes

from . import layout

INSTRUCTIONS = [
    "Hướng dẫn nhập danh sách cán bộ",
    "",
    "1. Điền đơn vị vào trang “Đơn vị” và cán bộ vào trang “Cán bộ”. Giữ nguyên dòng tiêu đề; "
    "cột có dấu (*) là bắt buộc. Có thể bỏ trống trang “Đơn vị” nếu các đơn vị đã có trong hệ thống.",
    "2. Mỗi dòng ở trang “Cán bộ” là một vai trò của một cán bộ. Cán bộ giữ nhiều vai trò thì ghi nhiều dòng "
    "cùng mã cán bộ. Cán bộ chưa có vai trò thì để trống cột “Vai trò”.",
    "3. Có thể ghi “Họ và tên” trong một cột (hệ thống tự tách họ, tên đệm, tên) "
    "hoặc dùng ba cột “Họ”, “Tên đệm”, “Tên”.",
    "4. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/03/1985) hoặc để Excel định dạng ngày.",
    "5. Số điện thoại 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678; có thể có dấu cách, dấu chấm), hoặc "
    "số nước ngoài bắt đầu bằng + và mã nước. Mỗi số điện thoại chỉ thuộc một cán bộ (cán bộ dùng số này "
    "để đăng nhập). Không dùng công thức, không gộp ô ở dòng tiêu đề.",
    "6. Nhập lại tệp là cập nhật: cán bộ được nhận ra theo mã cán bộ (hoặc thư điện tử, số điện thoại "
    "nếu không có mã). Với cán bộ có ghi ít nhất một vai trò trong tệp, vai trò đang giữ mà tệp không "
    "ghi lại sẽ được ghi ngày kết thúc (không bị xoá). Cán bộ để trống cột “Vai trò” (hoặc tệp không có "
    "cột này) thì chỉ cập nhật thông tin cá nhân, giữ nguyên các vai trò.",
    "7. Vai trò “Quản lý đơn vị” không bao giờ tự kết thúc khi vắng mặt trong tệp; muốn kết thúc, ghi một "
    "dòng vai trò này kèm “Ngày kết thúc”.",
    "8. Hệ thống kiểm tra toàn bộ tệp trước khi ghi; nếu có lỗi, không dữ liệu nào được ghi.",
    "",
    "Cấp đơn vị: " + "; ".join(layout.LEVEL_LABELS.values()),
    "Loại (công đoàn cấp trên trực tiếp): " + "; ".join(layout.KIND_LABELS.values()),
    "Vai trò: " + "; ".join(layout.ROLE_LABELS.values()),
    "Giới tính: " + "; ".join(layout.GENDER_LABELS.values()),
    "Kênh nhận tin (để trống: theo thứ tự chung): " + "; ".join(layout.CHANNEL_LABELS.values()),
]

UNIT_EXAMPLE = ["CS-MAY10", "LDLD-CAUGIAY", "CĐCS Công ty May 10", "Cơ sở", "", 1200]
OFFICER_EXAMPLE = [
    "CB-000123",
    "Nguyễn",
    "Thị Minh",
    "Khai",
    "",
    "05/03/1985",
    "Nữ",
    "0912345678",
    "khai.nguyen@example.vn",
    "CS-MAY10",
    "Tuyên truyền viên",
    "01/01/2024",
    "",
    "Zalo",
]


def _headers(kind):
    return [c.header + (" (*)" if c.required else "") for c in layout.COLUMNS[kind]]


def blank_template() -> bytes:
    workbook = new_workbook(write_only=False)  # data validation needs an ordinary workbook
    guide = workbook.create_sheet(layout.INSTRUCTIONS_SHEET_TITLE)
    for line in INSTRUCTIONS:
        append(guide, [line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    append(guide, [])
    append(guide, ["Ví dụ một dòng ở trang “Đơn vị”:"])
    append(guide, _headers(layout.UNITS))
    append(guide, UNIT_EXAMPLE)
    append(guide, [])
    append(guide, ["Ví dụ một dòng ở trang “Cán bộ”:"])
    append(guide, _headers(layout.OFFICERS))
    append(guide, OFFICER_EXAMPLE)
    fill = PatternFill("solid", fgColor="FFE8F0FE")
    for kind, title in (
        (layout.UNITS, layout.UNITS_SHEET_TITLE),
        (layout.OFFICERS, layout.OFFICERS_SHEET_TITLE),
    ):
        sheet = workbook.create_sheet(title)
        append(sheet, _headers(kind))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
            sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 4)
        sheet.freeze_panes = "A2"
        # Text format for codes, phones and dates so Excel keeps leading zeros.
        for column in sheet.iter_cols(min_row=1, max_row=1):
            header = column[0].value
            if any(word in header for word in ("Mã", "điện thoại", "Ngày")):
                for row in range(2, 1001):
                    sheet.cell(row=row, column=column[0].column).number_format = "@"
    # Drop-down lists for the columns with fixed values (Excel's list separator is the comma, so
    # "Quận, huyện" cannot be one; "Loại" stays free text and is checked on import).
    for title, header, labels in (
        (layout.OFFICERS_SHEET_TITLE, "Vai trò", layout.ROLE_LABELS),
        (layout.OFFICERS_SHEET_TITLE, "Giới tính", layout.GENDER_LABELS),
        (layout.OFFICERS_SHEET_TITLE, "Kênh nhận tin", layout.CHANNEL_LABELS),
        (layout.UNITS_SHEET_TITLE, "Cấp (*)", layout.LEVEL_LABELS),
    ):
        sheet = workbook[title]
        letter = next(cell.column_letter for cell in sheet[1] if cell.value == header)
        choices = DataValidation(
            type="list", formula1='"' + ",".join(labels.values()) + '"', allow_blank=True
        )
        sheet.add_data_validation(choices)
        choices.add(f"{letter}2:{letter}100000")
    return workbook_bytes(workbook)
