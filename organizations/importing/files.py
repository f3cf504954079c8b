"""Opening an uploaded roster file safely.

Everything here runs before a spreadsheet library parses a byte of the file:
the size limit, the file type (an encrypted workbook is an OLE container, not
a zip), the zip's declared uncompressed size and compression ratio (a zip
bomb), and XML document type declarations (an entity bomb). openpyxl then reads
through defusedxml, which refuses entities a second time.
"""

import codecs
import csv
import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from .layout import sheet_kind

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
MAX_ZIP_MEMBERS = 1000
# Excel's grid: column XFD, row 1,048,576. Nothing beyond it is read (a cell reference past
# XFD would otherwise make a row billions of cells long).
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
# A CSV line longer than this is refused before the csv module splits it: a line of millions of
# separators would become a list of millions of fields. A real row (13 columns, each under the
# csv module's 128 KB field limit) is shorter.
MAX_CSV_LINE = 2 * 1024 * 1024
# What a damaged file raises while its rows are read: malformed XML (ParseError is a
# SyntaxError), a bad CRC or a broken deflate stream, a truncated member, a shared-string
# index out of range, an unparsable number or date, a CSV field over the csv module's limit.
READ_ERRORS = (
    SyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    LookupError,
    OverflowError,
    TypeError,
    csv.Error,
)

logger = logging.getLogger(__name__)
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


class FileRefused(Exception):
    """The file cannot be read as a roster; the message is for the uploader."""


def max_bytes() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES))


def max_ratio() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_RATIO))


@dataclass
class Sheet:
    kind: str
    title: str
    headers: list
    rows: Iterator  # (row number, tuple of values)
    total_rows: int = 0
    merged_header: list = field(default_factory=list)
    # The sheet position (0 = column A) of each header and of each value in the rows; None when
    # they are the same (CSV).
    columns: list | None = None


@dataclass
class RosterFile:
    sheets: list[Sheet]
    close: object = None


def too_large_message(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.") % {
        "size": f"{size / 1048576:.1f}",
        "limit": f"{max_bytes() / 1048576:.0f}",
    }


def open_roster(path: str) -> RosterFile:
    """Check the file and return its sheets as row iterators. Raises FileRefused."""
    size = os.path.getsize(path)
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > max_bytes():
        raise FileRefused(too_large_message(size))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_workbook(path):
            raise FileRefused(password_message())
        raise FileRefused(_old_format_message())
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(path)
    return _open_csv(path)


def check_workbook(data: bytes, *, max_uncompressed_bytes: int | None = None) -> None:
    """Refuse, before a spreadsheet library parses a byte of it, a file that must be an .xlsx.

    The checks ``open_roster`` makes on a workbook, for a caller holding a small upload in
    memory (it checks the file's size against its own limit first): not empty, not
    password-protected and not an old .xls (an OLE container), a zip holding a workbook, at
    most ``MAX_ZIP_MEMBERS`` members, at most ``max_uncompressed_bytes`` once expanded
    (default: the roster's setting), no member compressed suspiciously well, no XML document
    type declaration. Raises ``FileRefused``; reads only the zip directory and XML prologs.
    """
    if not data:
        raise FileRefused(_("The file is empty."))
    if data.startswith(OLE_MAGIC):
        if _has_encrypted_package(data):
            raise FileRefused(password_message())
        raise FileRefused(_old_format_message())
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(archive, max_total=max_uncompressed_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise FileRefused(_("The file is damaged and cannot be read.")) from None


def refusal_for(error: BaseException) -> FileRefused:
    """The refusal ``open_roster`` gives when parsing a checked workbook fails: an XML entity
    declaration refused by defusedxml, or else a damaged file."""
    if _caused_by_defusedxml(error):
        return FileRefused(_entity_message())
    return FileRefused(_("The file is damaged and cannot be read."))


def _old_format_message() -> str:
    return _(
        "The file is in the old Excel 97–2003 format (.xls) or is not an Excel workbook. "
        "Open it in Excel and save it as an Excel workbook (.xlsx)."
    )


def password_message() -> str:
    return _("The workbook is password-protected. Remove the password and upload it again.")


# An Excel workbook saved with a password is an OLE compound file (like an old .xls) holding an
# "EncryptedPackage" stream. Directory entries are 128 bytes, aligned to 128 in every sector
# size, and start with the stream name in UTF-16LE followed at byte 64 by its length in bytes
# (with the terminating NUL).
_ENCRYPTED_ENTRY = "EncryptedPackage".encode("utf-16-le")
_ENCRYPTED_ENTRY_LENGTH = (len(_ENCRYPTED_ENTRY) + 2).to_bytes(2, "little")


def _is_encrypted_workbook(path: str) -> bool:
    """True when the OLE file has an EncryptedPackage stream (the file is at most the size limit)."""
    with open(path, "rb") as handle:
        return _has_encrypted_package(handle.read())


def _has_encrypted_package(data: bytes) -> bool:
    position = data.find(_ENCRYPTED_ENTRY)
    while position != -1:
        if position % 128 == 0 and data[position + 64 : position + 66] == _ENCRYPTED_ENTRY_LENGTH:
            return True
        position = data.find(_ENCRYPTED_ENTRY, position + 1)
    return False


def _check_zip(archive: zipfile.ZipFile, *, max_total: int | None = None) -> None:
    max_total = max_uncompressed_bytes() if max_total is None else max_total
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(_("The file is not a valid Excel workbook."))
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileRefused(_("The file is not an Excel workbook (.xlsx)."))
    hostile = FileRefused(
        _(
            "The file was refused because it looks hostile (it would expand to a huge size). "
            "Save it again from Excel."
        )
    )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise FileRefused(password_message())
        total += member.file_size
        if total > max_total:
            raise hostile
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio() * max(member.compress_size, 1):
            raise hostile
    for member in members:
        if member.filename.endswith((".xml", ".rels", ".vml")) and _declares_a_dtd(archive, member):
            raise FileRefused(_entity_message())


_PROLOG_ITEM = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.S)


def _declares_a_dtd(archive: zipfile.ZipFile, member) -> bool:
    """True when the XML prolog (everything before the root element) holds a DOCTYPE.

    Entities can only be declared there, so a member without one cannot hold an entity bomb.
    A prolog longer than 1 MB (padding to hide a DOCTYPE) is treated as hostile too.
    """
    with archive.open(member) as xml:
        head = xml.read(1 << 20)
    head = head.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in head[:64]:
        return True  # UTF-16/32: Excel never writes it; refusing is simpler than decoding
    position = 0
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    rest = head[position:].lstrip()
    if rest.startswith(b"<!"):
        return True
    return not rest.startswith(b"<") and len(head) >= 1 << 20


def _merged_header_cells(archive: zipfile.ZipFile, member: str, header_row: int = 1) -> list[str]:
    """Merged ranges that touch row 1, read from the sheet XML without parsing it."""
    found, tail = [], b""
    with archive.open(member) as xml:
        while chunk := xml.read(1 << 20):
            data = tail + chunk
            if b"mergeCell" in data:
                for col1, row1, col2, row2 in _MERGE_REF.findall(data):
                    if int(row1) <= header_row <= int(row2 or row1):
                        ref = f"{col1.decode()}{row1.decode()}"
                        if col2:
                            ref += f":{col2.decode()}{row2.decode()}"
                        found.append(ref)
            tail = data[-200:]
    return sorted(set(found))


def _open_xlsx(path: str) -> RosterFile:
    from .xlsx import Workbook, header_positions

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileRefused(
            _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a UTF-8 CSV file.")
        ) from None
    try:
        with archive:
            _check_zip(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError):
        raise FileRefused(_("The file is damaged and cannot be read.")) from None
    workbook = None
    try:
        workbook = Workbook(path)
        sheets = []
        for title, member in workbook.sheets:
            rows = workbook.rows(member, title)
            first = next(rows, None)
            if first is None:
                continue
            # Only the non-empty header cells (and the cells below them) are read; ``columns``
            # keeps their positions for the column letters in messages.
            columns = header_positions(first[1])
            header = [first[1][i] for i in columns]
            kind = sheet_kind(title, header)
            if kind is None:
                continue
            sheets.append(
                Sheet(
                    kind=kind,
                    title=title,
                    headers=header,
                    columns=columns,
                    rows=_guarded(rows, _sheet_damaged(title), first[0]),
                    total_rows=max(workbook.row_count(member) - first[0], 0),
                    merged_header=_merged_header_cells(workbook.archive, member, first[0]),
                )
            )
    except FileRefused:
        if workbook:
            workbook.close()
        raise
    except Exception as error:  # a malformed workbook raises many kinds of errors
        if workbook:
            workbook.close()
        if _caused_by_defusedxml(error):
            raise FileRefused(_entity_message()) from None
        raise FileRefused(_("The file is damaged and cannot be read.")) from None
    return RosterFile(sheets=sheets, close=workbook.close)


def _caused_by_defusedxml(error: BaseException) -> bool:
    from defusedxml.common import DefusedXmlException

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _entity_message() -> str:
    return _("The file was refused because it contains XML entity declarations, which Excel never writes.")


def _guarded(rows, refusal, last_row: int):
    """Yield from ``rows``; turn a reading error part-way through into FileRefused.

    Sheets are read lazily while the rows are validated, long after the file was opened, so
    damage after the first rows only shows then. ``refusal(row)`` builds the message from the
    number of the last row read correctly.
    """
    try:
        for item in rows:
            last_row = item[0]
            yield item
    except READ_ERRORS as error:
        if _caused_by_defusedxml(error):
            raise FileRefused(_entity_message()) from None
        logger.warning("Roster file unreadable after row %s", last_row, exc_info=True)
        raise FileRefused(refusal(last_row)) from None


def _sheet_damaged(title: str):
    def message(row: int) -> str:
        return _(
            "The sheet “%(sheet)s” is damaged after row %(row)s and cannot be read. "
            "Open the file in Excel, save it again and upload it again."
        ) % {"sheet": title, "row": row}

    return message


def _csv_damaged(last_row: int) -> str:
    return _(
        "The CSV file cannot be read near row %(row)s: a cell is too long or a quotation mark "
        "is not closed. Check the file and save it again as “CSV UTF-8”."
    ) % {"row": last_row + 1}


def _csv_too_wide(row: int) -> str:
    return _(
        "The CSV file cannot be read near row %(row)s: the row has more columns than an Excel "
        "sheet (16,384) or is longer than 2 MB. Check the file and save it again as “CSV UTF-8”."
    ) % {"row": row}


def _csv_lines(text: str):
    for number, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_CSV_LINE:
            raise FileRefused(_csv_too_wide(number))
        yield line


def _csv_rows(reader, width: int):
    """(row number, values) of the data rows, cut to the header's width (nothing right of it is read)."""
    for number, row in enumerate(reader, start=2):
        if len(row) > MAX_COLUMNS:
            raise FileRefused(_csv_too_wide(number))
        yield number, tuple(v.strip() or None for v in row[:width])


def _open_csv(path: str) -> RosterFile:
    with open(path, "rb") as handle:
        raw = handle.read()
    if b"\x00" in raw[:4096]:
        raise FileRefused(
            _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a UTF-8 CSV file.")
        )
    try:
        text = raw.decode("utf-8-sig") if raw.startswith(codecs.BOM_UTF8) else raw.decode("utf-8")
    except UnicodeDecodeError:
        if any(byte < 9 or 13 < byte < 32 for byte in raw[:4096]):
            raise FileRefused(
                _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a UTF-8 CSV file.")
            ) from None
        raise FileRefused(
            _("The CSV file is not in UTF-8. In Excel choose “CSV UTF-8 (Comma delimited)” when saving.")
        ) from None
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(_csv_lines(text), dialect)
    try:
        header = next(reader, [])
    except csv.Error:
        raise FileRefused(_csv_damaged(0)) from None
    if len(header) > MAX_COLUMNS:
        raise FileRefused(_csv_too_wide(1))
    while header and not header[-1].strip():
        header.pop()
    kind = sheet_kind("", header)
    if kind is None or len(header) < 2:
        raise FileRefused(
            _(
                "The file is not a roster spreadsheet: "
                "its first row must hold the column headers of the template."
            )
        )
    total = text.count("\n")
    rows = _guarded(_csv_rows(reader, len(header)), _csv_damaged, 1)
    return RosterFile(sheets=[Sheet(kind=kind, title="CSV", headers=header, rows=rows, total_rows=total)])


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops storing an upload as soon as it passes the size limit, instead of after it is all on disk.

    Put first in ``request.upload_handlers``: once a file's bytes pass ``max_bytes()`` the file is
    skipped (the next handlers close and delete what they stored), the rest of the request is
    read and dropped, and ``refused_size`` tells the form to refuse it as too large.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.request_length = None  # not content_length: new_file() sets that to the file's
        self.refused_size = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            # The request's length is the file's give or take the form's few other fields.
            self.refused_size = max(self.request_length or 0, self.received)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file
