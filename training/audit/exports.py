"""Audit exports: exactly the rows of a screen, as .xlsx (one sheet per view, print-ready) or CSV.

Every table is built from the same selector calls as the screen with the same
parameters (year, unit, filters, sort), only without paging, so the numbers agree.
Headers are translated: Vietnamese by default.

Names and codes come from users, so every cell is written by ``core.spreadsheets.writing``:
a text starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe in
.xlsx and CSV alike (OWASP, CSV injection) and is never stored as a formula. Numbers are
written as numbers; a percentage is the number 69.23 (two decimals, halves rounded up). The
workbook is written row by row (openpyxl's write-only mode): a city-wide export of every
untrained officer does not have to fit in memory as cell objects. The large tables stream:
officers are read from a server-side cursor a thousand at a time, described and written,
so a city-wide export's memory does not grow with the number of rows (``write``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.spreadsheets.writing import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    CsvWriter,
    append,
    cell,
    new_workbook,
)
from organizations.models import UnitLevel

from ..models import RequirementTarget
from . import rules, selectors
from .source import TARGETS

VIEWS = ("dashboard", "roles", "officers", "unstaffed", "all")
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}
CHUNK = 1000


@dataclass
class Table:
    """A sheet: its ``rows`` are a list, or (officers) a generator read once, while it is written."""

    title: str
    headers: list[str]
    rows: Iterable[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


def _pct(figure):
    """The figure's percentage as a number with two decimals (Decimal: 12.50 keeps its places)."""
    return None if figure is None else figure.percent


def _target_label(target) -> str:
    return str(RequirementTarget(target).label)


def summary_table(audit, figures=None) -> Table:
    figures = figures or selectors.headline(audit.source, audit.user, audit.node)
    table = Table(
        _("Summary"),
        [_("Target"), _("Required"), _("Met"), _("Not met"), _("Rate (%)")],
        widths=[60, 14, 14, 14, 12],
    )
    for target, figure in figures.items():
        if figure is None:
            table.rows.append([_target_label(target), None, None, None, None])
        else:
            table.rows.append(
                [_target_label(target), figure.required, figure.done, figure.missing, _pct(figure)]
            )
    return table


def _figure_headers(prefix_targets) -> list[str]:
    headers = []
    for target in prefix_targets:
        number = {"staffing": 1, "corps": 2, "large_grassroots": 3}[target]
        if target == RequirementTarget.STAFFING:
            headers += [
                _("T%(n)s: units required") % {"n": number},
                _("T%(n)s: units staffed") % {"n": number},
                _("T%(n)s: %%") % {"n": number},
            ]
        else:
            headers += [
                _("T%(n)s: required") % {"n": number},
                _("T%(n)s: trained") % {"n": number},
                _("T%(n)s: %%") % {"n": number},
            ]
    return headers


def _figure_cells(figures, targets) -> list:
    cells = []
    for target in targets:
        figure = figures.get(target)
        cells += [None, None, None] if figure is None else [figure.required, figure.done, _pct(figure)]
    return cells


def units_table(audit, rows=None) -> Table:
    if rows is None:
        rows = selectors.unit_rows(audit.source, audit.user, audit.node, sort=audit.params["sort"])
    table = Table(
        _("Units"),
        [_("Unit"), _("Code"), _("Level"), _("Workers"), *_figure_headers(TARGETS)],
        widths=[48, 16, 22, 10] + [11] * 9,
    )
    for row in rows:
        name = row.node.name + (" " + _("(at the unit itself)") if row.is_self else "")
        table.rows.append(
            [
                name,
                row.node.code,
                str(row.node.get_level_display()),
                row.node.worker_count,
                *_figure_cells(row.figures, TARGETS),
            ]
        )
    return table


def roles_table(audit) -> Table:
    rows = selectors.role_rows(audit.source, audit.user, audit.node, sort=audit.params["sort"] or "role")
    targets = list(rules.TRAINING_TARGETS)
    table = Table(_("By role"), [_("Role"), *_figure_headers(targets)], widths=[36] + [12] * 6)
    for row in rows:
        table.rows.append([str(row.label), *_figure_cells(row.figures, targets)])
    return table


def _officer_rows(audit, *, status=None, progress: Callable[[int], None] | None = None) -> Table:
    p = audit.params
    status = status or p["status"]
    rows = selectors.officer_list(
        audit.source,
        audit.user,
        audit.node,
        target=p["target"],
        role=p["role"],
        search=p["q"],
        status=status,
        sort=p["sort"] or "name",
        only_here=bool(p["here"]),
    )
    title = {
        "untrained": _("Not yet trained"),
        "in_progress": _("In progress"),
        "trained": _("Trained"),
        "all": _("Officers"),
    }[status]
    table = Table(
        title,
        [_("No."), _("Full name"), _("Officer code"), _("Roles and units"), _("T2"), _("T3"), _("Status")],
        widths=[6, 30, 14, 60, 14, 14, 18],
    )
    table.rows = _described_rows(audit, rows, progress)
    return table


def _described_rows(audit, rows, progress: Callable[[int], None] | None):
    """The officer rows, read from a server-side cursor and described ``CHUNK`` at a time (a
    few queries per chunk), so memory stays flat however many officers the export lists."""
    target = audit.params["target"]
    status_labels = {
        "trained": _("Trained"),
        "in_progress": _("In progress"),
        "untrained": _("Not yet trained"),
    }
    officers = rows.iterator(chunk_size=CHUNK)
    done = 0
    while page := list(islice(officers, CHUNK)):
        for index, officer in enumerate(
            selectors.describe_officers(audit.source, audit.user, page, target=target), start=done + 1
        ):
            targets = officer["targets"]

            def verdict(t, targets=targets):
                if t not in targets:
                    return ""
                return _("Trained") if targets[t] else _("Not yet trained")

            yield [
                index,
                officer["display_name"],
                officer["staff_code"] or "",
                "; ".join(f"{role} — {unit}" for role, unit in officer["assignments"]),
                verdict(RequirementTarget.CORPS),
                verdict(RequirementTarget.LARGE_GRASSROOTS),
                status_labels[officer["status"]],
            ]
        done += len(page)
        if progress:
            progress(done)


def unstaffed_table(audit) -> Table:
    rows = selectors.with_upper_names(
        audit.source,
        list(
            selectors.unstaffed_units(
                audit.source, audit.user, audit.node, sort=audit.params["sort"] or "name"
            )
        ),
    )
    table = Table(
        _("Without a propagandist"),
        [_("No."), _("Unit"), _("Code"), _("Level"), _("Workers"), _("Upper-level union")],
        widths=[6, 50, 16, 22, 10, 40],
    )
    for index, row in enumerate(rows, start=1):
        table.rows.append(
            [
                index,
                row["name"],
                row["code"],
                str(UnitLevel(row["level"]).label),
                row["worker_count"],
                row["upper_name"],
            ]
        )
    return table


def tables(audit, view: str, progress: Callable[[int], None] | None = None) -> list[Table]:
    """The tables a screen shows, all rows, in the screen's order."""
    if view == "dashboard":
        figures, rows = selectors.unit_table(audit.source, audit.user, audit.node, sort=audit.params["sort"])
        grassroots = audit.node is not None and audit.node.is_grassroots
        result = [summary_table(audit, figures)]
        if rows or not grassroots:  # a grassroots union nobody is required at shows no unit table
            result.append(units_table(audit, rows))
        if grassroots:
            result.append(_officer_rows(audit, status="all"))
        return result
    if view == "roles":
        # The screen shows the headline figures above the breakdown.
        return [summary_table(audit), roles_table(audit)]
    if view == "officers":
        return [_officer_rows(audit, progress=progress)]
    if view == "unstaffed":
        return [unstaffed_table(audit)]
    if view == "all":
        return [
            summary_table(audit),
            units_table(audit),
            roles_table(audit),
            _officer_rows(audit, status="untrained", progress=progress),
            unstaffed_table(audit),
        ]
    raise ValueError(view)


def estimated_rows(audit, view: str) -> int:
    """How many rows an export will have where that can be large (one count query)."""
    if view in ("officers", "all"):
        p = audit.params
        return selectors.officer_list(
            audit.source,
            audit.user,
            audit.node,
            target=p["target"],
            role=p["role"],
            search=p["q"],
            status="untrained" if view == "all" else p["status"],
            only_here=bool(p["here"]),
        ).count()
    return 0


def heading(audit) -> str:
    scope = audit.node.name if audit.node else _("All units")
    text = _("Training audit %(year)s — %(scope)s") % {"year": audit.year, "scope": scope}
    if audit.source.frozen:
        text += " — " + _("closed year, figures frozen on %(date)s") % {
            "date": date_format(
                timezone.localtime(audit.source.closure.closed_at).date(), "SHORT_DATE_FORMAT"
            )
        }
    return text


HEADER_ROW = 3


def write_xlsx(audit, tables_: list[Table], out) -> None:
    """Write the tables as a workbook to ``out`` (a path or a binary file), row by row."""
    workbook = new_workbook(write_only=True)
    thin = Side(style="thin", color="999999")
    used = set()
    title_text = heading(audit)
    for table in tables_:
        title = table.title[:31]
        while title in used:
            title = title[:29] + "_"
        used.add(title)
        sheet = workbook.create_sheet(title)
        # A write-only sheet takes its layout before its first row.
        for col, width in enumerate(table.widths or [18] * len(table.headers), start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.gridLines = True
        sheet.HeaderFooter.oddFooter.center.text = "&P / &N"
        sheet.HeaderFooter.oddHeader.left.text = title_text[:200]
        append(sheet, [cell(sheet, title_text, font=Font(bold=True, size=13))])
        append(sheet, [cell(sheet, table.title, font=Font(italic=True))])
        header_style = {
            "font": Font(bold=True),
            "fill": PatternFill("solid", fgColor="DDE7F0"),
            "alignment": Alignment(wrap_text=True, vertical="center"),
            "border": Border(top=thin, bottom=thin, left=thin, right=thin),
        }
        append(sheet, [cell(sheet, str(header), **header_style) for header in table.headers])
        for row in table.rows:
            append(sheet, row)
    workbook.save(out)


def write_csv(tables_: list[Table], out, heading_text: str = "") -> None:
    """A screen as CSV, written line by line to ``out`` (a binary file): UTF-8 with a byte-order
    mark, so Excel opens Vietnamese text as UTF-8. One table: a plain CSV, its header row first.
    Several (a screen that shows headline figures above its table, or a grassroots union's
    officers under its units): the heading line (year, unit, closed year), then one section per
    table in the screen's order — its title on a line of its own, its header row, its rows —
    each after a blank line."""
    writer = CsvWriter()
    out.write("\ufeff".encode())

    def line(values):
        out.write(writer.writerow(values).encode())

    sectioned = len(tables_) > 1
    if sectioned and heading_text:
        line([heading_text])
    for table in tables_:
        if sectioned:
            line([])
            line([table.title])
        line([str(h) for h in table.headers])
        for row in table.rows:
            line(row)


def write(audit, view: str, fmt: str, out, progress: Callable[[int], None] | None = None) -> None:
    """Build the export and write it to ``out`` (a binary file) as it goes, in flat memory."""
    built = tables(audit, view, progress=progress)
    if fmt == "csv":
        write_csv(built, out, heading(audit))
    else:
        write_xlsx(audit, built, out)


def render(audit, view: str, fmt: str, progress: Callable[[int], None] | None = None) -> bytes:
    """The export as bytes (a screen's download, the report command)."""
    buffer = io.BytesIO()
    write(audit, view, fmt, buffer, progress=progress)
    return buffer.getvalue()


def file_name(audit, view: str, fmt: str) -> str:
    unit = f"-{audit.node.code}" if audit.params.get("unit") and audit.node else ""
    return f"kiem-tra-boi-duong-{audit.year}{unit}-{view}.{fmt}"
