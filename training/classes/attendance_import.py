"""Attendance sheets (.xlsx of officer codes): the blank template and the validating reader.

The reader is all-or-nothing: it checks every row and returns either the officers to
mark present or the full list of bad rows (row number and reason, in the user's
language). It never writes; the view calls ``services.record_attendance`` only when
there is no error.

A hostile file is refused before openpyxl parses it, by the roster importer's checks
(``organizations.importing.files.check_workbook``): password-protected or old .xls files,
anything that is not a zip, too many members, a zip bomb (total uncompressed size and
compression ratio), XML document type declarations (entity bombs). Cell references
beyond column XFD are refused too; openpyxl then reads through defusedxml in read-only
mode, without trusting the sheet's declared dimensions. Whatever error a damaged file
raises while it is read becomes a file-level message, never a server error.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets.writing import append, new_workbook, workbook_bytes
from organizations.importing.files import FileRefused, check_workbook, refusal_for
from organizations.models import Officer
from organizations.scope import scope_filter

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A sheet of 5,000 codes and names is about 1 MB of XML; anything far larger is not an attendance sheet.
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 16384  # column XFD, the last one an Excel sheet has
CODE_MAX_LENGTH = Officer._meta.get_field("code").max_length
logger = logging.getLogger(__name__)

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

    Guarantees: every bad row is reported (blank code, a code no officer of the user's units
    holds — one message whether someone elsewhere holds it or nobody does —, duplicate row),
    ``officers`` is empty whenever ``errors`` is not, and one roster query is made whatever the
    number of rows.
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
        rows = _read(upload.read(), sheet)
    except FileRefused as refused:
        sheet.errors = [RowError(0, "", str(refused))]
        return sheet
    if sheet.errors:
        return sheet
    if not rows:
        sheet.errors.append(RowError(0, "", _("The sheet lists no officer codes.")))
        return sheet
    return check_codes(rows, user=user, sheet=sheet)


def check_codes(
    rows: list[tuple[int, str]], *, user, sheet: AttendanceSheet | None = None
) -> AttendanceSheet:
    """The row checks of an attendance sheet, for (row number, code) pairs from any source (the
    upload, the REST API): blank, too long, duplicate, or no officer of the user's units holds
    it. One roster query; ``officers`` is empty whenever ``errors`` is not."""
    sheet = sheet or AttendanceSheet()
    codes = {code for _row, code in rows if code and len(code) <= CODE_MAX_LENGTH}
    # One query, limited to the user's units: a code held outside them is answered exactly like
    # a code nobody holds (same message, same query), so the sheet reveals no one elsewhere.
    known = {
        o.code: o for o in Officer.objects.filter(code__in=codes).filter(scope_filter(user, "unit__path"))
    }
    seen: dict[str, int] = {}
    chosen = []
    for row, code in rows:
        if not code:
            sheet.errors.append(RowError(row, "", _("The officer code is blank.")))
        elif len(code) > CODE_MAX_LENGTH:
            sheet.errors.append(
                RowError(
                    row,
                    code[:CODE_MAX_LENGTH] + "…",
                    _("The officer code is longer than %(max)s characters.") % {"max": CODE_MAX_LENGTH},
                )
            )
        elif code in seen:
            sheet.errors.append(
                RowError(
                    row, code, _("Duplicate: the same code is already on row %(row)s.") % {"row": seen[code]}
                )
            )
        elif code not in known:
            sheet.errors.append(RowError(row, code, _("No officer of the units you manage has this code.")))
        else:
            chosen.append(known[code])
        if code:
            seen.setdefault(code, row)
    if not sheet.errors:
        sheet.officers = chosen
    return sheet


def _read(data: bytes, sheet: AttendanceSheet) -> list[tuple[int, str]]:
    """The data rows of the workbook's first sheet. Raises ``FileRefused`` for a hostile or
    damaged file; row-level problems (no header, too many rows) go to ``sheet.errors``."""
    check_workbook(data, max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES)
    try:
        _check_cell_references(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = workbook.worksheets[0]
            # The declared dimension may claim a million columns; a row is only as wide as its cells.
            worksheet.reset_dimensions()
            return _rows(worksheet, sheet)
        finally:
            workbook.close()
    except FileRefused:
        raise
    except Exception as error:  # a malformed workbook raises many kinds of errors
        logger.warning("Attendance sheet unreadable", exc_info=True)
        raise refusal_for(error) from None


def _beyond_last_column() -> FileRefused:
    return FileRefused(
        _(
            "The sheet has a cell beyond column XFD, the last column of an Excel sheet: the file was "
            "not saved by Excel. Open it in Excel, save it again and upload it again."
        )
    )


# A cell reference (<c r="AB12">) in a tag of any part of the package; rows (r="12") have no letters.
_CELL_REF = re.compile(rb"""<[^<>]*?\sr\s*=\s*["']\$?([A-Za-z]+)\$?[0-9]""")


def _check_cell_references(data: bytes) -> None:
    """Refuse a cell reference past column XFD before openpyxl pads a row out to it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.startswith("xl/media/"):
                continue
            tail = b""
            with archive.open(member) as part:
                while chunk := part.read(1 << 20):
                    for letters in _CELL_REF.findall(tail + chunk):
                        if len(letters) > 3 or _column_number(letters) > MAX_COLUMNS:
                            raise _beyond_last_column()
                    tail = chunk[-64:]


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def _rows(worksheet, sheet: AttendanceSheet) -> list[tuple[int, str]]:
    """(row number, code) for each data row; trailing fully blank rows are ignored.

    Only the code column is converted per row, so a row padded out to column XFD costs no
    more than a hash of its values.
    """
    rows: list[tuple[int, str | None]] = []
    code_column = None
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if len(values) > MAX_COLUMNS:
            raise _beyond_last_column()
        if code_column is None:
            lowered = [_cell_text(v).lower() for v in values]
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
        code = _cell_text(values[code_column]) if code_column < len(values) else ""
        rows.append((number, None if not code and _is_blank(values) else code))  # None: a blank line
    while rows and rows[-1][1] is None:
        rows.pop()  # blank lines are kept only if data follows them
    return [(n, code or "") for n, code in rows]


def _is_blank(values) -> bool:
    filled = set(values)
    filled.discard(None)
    return not any(_cell_text(v) for v in filled)


def blank_template(in_person_class=None) -> bytes:
    """A blank attendance sheet: the code column to fill, and a sheet of instructions."""
    workbook = new_workbook(write_only=False)
    sheet = workbook.create_sheet("Điểm danh")
    append(sheet, [CODE_HEADER, NAME_HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 36
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")  # the class title is typed by users
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
        append(guide, [line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 100
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    return workbook_bytes(workbook)
