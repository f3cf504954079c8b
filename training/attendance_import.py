"""Attendance sheets (.xlsx of officer codes): the blank template and the validating reader.

The reader is all-or-nothing: it checks every row and returns either the officers to
mark present or the full list of bad rows (row number and reason, in the user's
language). It never writes; the view calls ``services.record_attendance`` only when
there is no error. openpyxl parses XML through defusedxml (installed), the file size
and the row count are capped, and the workbook is read in read-only mode.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from organizations.models import Officer
from organizations.scope import scope_filter

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
CODE_HEADER = "Mã cán bộ"  # documented spreadsheet header (Vietnamese, as users see it)
NAME_HEADER = "Họ và tên"


@dataclass
class RowError:
    row: int  # the spreadsheet's own row number (1 = the header)
    code: str
    reason: str


@dataclass
class AttendanceSheet:
    officers: list[Officer] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # file-level errors have row 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number
    return str(value).strip()


def read_attendance_sheet(upload, *, user) -> AttendanceSheet:
    """Validate an uploaded sheet row by row against the roster the ``user`` may see.

    Guarantees: every bad row is reported (blank code, unknown code, officer outside the
    user's scope, duplicate row), ``officers`` is empty whenever ``errors`` is not, and
    one roster query is made whatever the number of rows.
    """
    sheet = AttendanceSheet()
    if upload.size > MAX_UPLOAD_BYTES:
        sheet.errors.append(
            RowError(
                0, "", _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        )
        return sheet
    try:
        workbook = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        sheet.errors.append(RowError(0, "", _("This is not an Excel (.xlsx) file.")))
        return sheet
    try:
        rows = _rows(workbook.worksheets[0], sheet)
    finally:
        workbook.close()
    if sheet.errors:
        return sheet
    if not rows:
        sheet.errors.append(RowError(0, "", _("The sheet lists no officer codes.")))
        return sheet

    codes = {code for _row, code in rows if code}
    known = {o.code: o for o in Officer.objects.filter(code__in=codes)}
    visible = set(
        Officer.objects.filter(code__in=codes)
        .filter(scope_filter(user, "unit__path"))
        .values_list("code", flat=True)
    )
    seen: dict[str, int] = {}
    chosen = []
    for row, code in rows:
        if not code:
            sheet.errors.append(RowError(row, "", _("The officer code is blank.")))
        elif code in seen:
            sheet.errors.append(
                RowError(
                    row, code, _("Duplicate: the same code is already on row %(row)s.") % {"row": seen[code]}
                )
            )
        elif code not in known:
            sheet.errors.append(RowError(row, code, _("No officer has this code.")))
        elif code not in visible:
            sheet.errors.append(RowError(row, code, _("This officer is outside the units you manage.")))
        else:
            chosen.append(known[code])
        if code:
            seen.setdefault(code, row)
    if not sheet.errors:
        sheet.officers = chosen
    return sheet


def _rows(worksheet, sheet: AttendanceSheet) -> list[tuple[int, str]]:
    """(row number, code) for each data row; trailing fully blank rows are ignored."""
    rows: list[tuple[int, str]] = []
    code_column = None
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if code_column is None:
            lowered = [c.lower() for c in cells]
            if CODE_HEADER.lower() not in lowered:
                sheet.errors.append(
                    RowError(
                        1,
                        "",
                        _('The first row must contain the column "%(header)s".') % {"header": CODE_HEADER},
                    )
                )
                return []
            code_column = lowered.index(CODE_HEADER.lower())
            continue
        if len(rows) >= MAX_ROWS:
            sheet.errors.append(
                RowError(number, "", _("The sheet has more than %(max)s rows.") % {"max": MAX_ROWS})
            )
            return []
        rows.append((number, cells[code_column] if code_column < len(cells) else ""))
        if not any(cells):
            rows[-1] = (number, None)  # a blank line; kept only if data follows it
    while rows and rows[-1][1] is None:
        rows.pop()
    return [(n, code or "") for n, code in rows]


def blank_template(in_person_class=None) -> bytes:
    """A blank attendance sheet: the code column to fill, and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Điểm danh"
    sheet.append([CODE_HEADER, NAME_HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 36
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    lines = [
        "Danh sách điểm danh lớp tập huấn",
        f"Lớp: {in_person_class.title}" if in_person_class else "",
        "",
        f"1. Mỗi dòng ghi một cán bộ đã tham dự: cột «{CODE_HEADER}» là bắt buộc, "
        f"cột «{NAME_HEADER}» chỉ để đối chiếu và không được đọc.",
        "2. Mã cán bộ lấy trong danh sách cán bộ của đơn vị (ví dụ CB000123).",
        "3. Mỗi cán bộ chỉ ghi một lần; không để trống mã ở giữa danh sách.",
        "4. Chỉ ghi cán bộ thuộc các đơn vị bạn quản lý.",
        "5. Nếu có bất kỳ dòng nào sai, hệ thống không ghi nhận dòng nào và liệt kê từng dòng sai "
        "kèm lý do; sửa tệp rồi tải lên lại.",
        "6. Cán bộ đã có tên trong danh sách lớp được bỏ qua, không ghi trùng.",
    ]
    for line in lines:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 100
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
