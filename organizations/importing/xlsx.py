"""A small streaming reader of .xlsx sheets (values only), much faster than openpyxl's.

openpyxl's read-only mode spends most of its time in Python per cell; here the C
ElementTree parser streams each sheet and only the values we keep are converted.
Every XML member has already been checked to carry no document type declaration
(files.py), so no entity can be declared, let alone expanded; expat ≥ 2.4 also
refuses billion-laughs amplification on its own.
"""

import re
import zipfile

# defusedxml's iterparse is expat with handlers that refuse entity declarations and external
# references: no cost per element, and a sheet stored under any name is checked as it is read.
from defusedxml.ElementTree import fromstring as safe_fromstring
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

from .files import MAX_COLUMNS, MAX_ROWS, FileRefused

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")
_COLUMN_LETTERS = re.compile(r"[A-Z]{1,3}\Z")
_COLUMN_CACHE: dict[str, int] = {}  # at most MAX_COLUMNS entries: only valid columns are cached


class FormulaCell(str):
    """A formula in a cell: its text starts with "=" so the validator reports it."""


class OutsideTheGrid(ValueError):
    """A cell reference that is not a column of Excel's grid (A to XFD)."""


def column_index(ref: str) -> int:
    """0-based column of a cell reference ("C7" → 2). Raises OutsideTheGrid beyond XFD."""
    letters = ref.rstrip("0123456789")
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        if not _COLUMN_LETTERS.match(letters):
            raise OutsideTheGrid(ref)
        index = 0
        for char in letters:
            index = index * 26 + (ord(char) - 64)
        index -= 1
        if index >= MAX_COLUMNS:
            raise OutsideTheGrid(ref)
        _COLUMN_CACHE[letters] = index
    return index


class Workbook:
    def __init__(self, path: str):
        self.archive = zipfile.ZipFile(path)
        names = set(self.archive.namelist())
        self.shared = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self.date_styles = self._date_styles() if "xl/styles.xml" in names else set()
        self.sheets = self._sheets()

    def close(self) -> None:
        self.archive.close()

    def _sheets(self) -> list[tuple[str, str]]:
        workbook = safe_fromstring(self.archive.read("xl/workbook.xml"))
        rels = safe_fromstring(self.archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PKG_REL_NS}Relationship")}
        sheets = []
        for sheet in workbook.iter(f"{NS}sheet"):
            target = targets.get(sheet.get(f"{REL_NS}id"), "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            sheets.append((sheet.get("name"), target))
        return sheets

    def _shared_strings(self) -> list[str]:
        strings = []
        with self.archive.open("xl/sharedStrings.xml") as source:
            for _event, element in iterparse(source):
                if element.tag == f"{NS}si":
                    strings.append(_rich_text(element))
                    element.clear()
        return strings

    def _date_styles(self) -> set[int]:
        styles = safe_fromstring(self.archive.read("xl/styles.xml"))
        custom = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{NS}numFmt")}
        dates = set()
        cell_xfs = styles.find(f"{NS}cellXfs")
        if cell_xfs is None:
            return dates
        for index, xf in enumerate(cell_xfs.findall(f"{NS}xf")):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
            if code and is_date_format(code):
                dates.add(index)
        return dates

    def row_count(self, member: str) -> int:
        with self.archive.open(member) as source:
            head = source.read(4096)
        match = _DIMENSION.search(head)
        # Only the progress bar's total: a dimension beyond the grid must not overflow the job's field.
        return min(int(match.group(1)), MAX_ROWS) if match and match.group(1) else 0

    def rows(self, member: str, title: str = ""):
        """Yield (row number, tuple of values) for each row with a cell.

        The first row is the header and comes whole. Each later row holds only the cells under a
        non-empty header cell, in the order of ``header_positions(header)``: the layout reads
        nothing else, so a cell far to the right (or past a gap in the header) costs nothing.
        A reference beyond Excel's grid (column XFD, row 1,048,576) raises FileRefused: Excel
        never writes one, and padding a row up to it is how a 5 KB file asked for 10^11 columns.
        """
        shared, date_styles = self.shared, self.date_styles
        c_tag, v_tag, f_tag, is_tag, row_tag = f"{NS}c", f"{NS}v", f"{NS}f", f"{NS}is", f"{NS}row"
        number = 0
        slots = None  # header position -> place in the rows after the header
        with self.archive.open(member) as source:
            for _event, element in iterparse(source):
                if element.tag != row_tag:
                    continue
                number = int(element.get("r") or number + 1)
                if number > MAX_ROWS:
                    raise FileRefused(outside_the_grid_message(title, str(number), number))
                if slots is None:
                    values = []
                else:
                    values = [None] * len(slots)
                for position, cell in enumerate(element.iter(c_tag)):
                    ref = cell.get("r")
                    try:
                        index = column_index(ref) if ref else position
                    except OutsideTheGrid:
                        raise FileRefused(outside_the_grid_message(title, ref, number)) from None
                    if index >= MAX_COLUMNS:  # more cells without a reference than Excel has columns
                        raise FileRefused(outside_the_grid_message(title, f"#{position + 1}", number))
                    if slots is None:
                        if index > len(values):
                            values.extend([None] * (index - len(values)))
                        values.append(_value(cell, shared, date_styles, v_tag, f_tag, is_tag))
                    else:
                        slot = slots.get(index)
                        if slot is not None:
                            values[slot] = _value(cell, shared, date_styles, v_tag, f_tag, is_tag)
                element.clear()
                if slots is None:
                    slots = {index: slot for slot, index in enumerate(header_positions(values))}
                yield number, tuple(values)


def header_positions(header) -> list[int]:
    """Positions of the non-empty cells of a header row (the only columns read below it)."""
    return [i for i, value in enumerate(header) if value is not None and str(value).strip() != ""]


def outside_the_grid_message(title: str, ref: str, row: int) -> str:
    return _(
        "The sheet “%(sheet)s” has a cell at %(ref)s on row %(row)s, outside the grid of an Excel "
        "sheet (last column XFD, last row 1,048,576). Excel never writes such a file: open it in "
        "Excel, save it again and upload it again."
    ) % {"sheet": title, "ref": ref[:20], "row": row}


def _rich_text(element) -> str:
    t_tag, r_tag = f"{NS}t", f"{NS}r"
    parts = []
    for child in element:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            parts.extend(t.text or "" for t in child.iter(t_tag))
    return "".join(parts)


def _value(cell, shared, date_styles, v_tag, f_tag, is_tag):
    formula = cell.find(f_tag)
    if formula is not None:
        return FormulaCell("=" + (formula.text or ""))
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = cell.find(is_tag)
        return _rich_text(inline) if inline is not None else None
    value = cell.findtext(v_tag)
    if value is None:
        return None
    if kind == "s":
        return shared[int(value)]
    if kind in ("str", "e"):
        return value
    if kind == "b":
        return value == "1"
    if kind == "d":
        from datetime import datetime

        return datetime.fromisoformat(value)
    number = float(value)
    if number.is_integer() and "." not in value and "E" not in value.upper():
        number = int(value)
    style = cell.get("s")
    if style is not None and int(style) in date_styles:
        try:
            return from_excel(number)
        except (OverflowError, ValueError):
            return number  # not a possible date: the validator reports the cell
    return number
