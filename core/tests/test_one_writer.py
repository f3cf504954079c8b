"""Every spreadsheet the site writes goes through core.spreadsheets: no other module makes an
openpyxl workbook or a csv writer of its own, and Wagtail's export mixin writes through the safe cell."""

import re
from pathlib import Path

from django.conf import settings

WRITING = re.compile(
    r"from openpyxl import [^\n]*\bWorkbook\b|openpyxl\.Workbook\(|csv\.(writer|DictWriter)\("
)
ALLOWED = {"core/spreadsheets/writing.py", "core/spreadsheets/admin_exports.py"}


def test_no_module_writes_a_spreadsheet_except_through_core():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        top = relative.split("/", 1)[0]
        if top in {".venv", "var", "bench", "e2e"} or "/tests/" in relative or relative in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for match in WRITING.finditer(text):
            line = text[: match.start()].count("\n") + 1
            offenders.append(f"{relative}:{line}: {match.group(0)}")
    assert offenders == []


def test_every_wagtail_export_writes_through_the_safe_cell():
    """Reports we never subclass (locked pages, ageing pages, workflows…) inherit the one mixin."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin
    from wagtail.admin.views.reports.aging_pages import AgingPagesView
    from wagtail.contrib.forms.views import SubmissionsListView

    from organizations.history import ScopedLogEntriesView

    for view in (AgingPagesView, SubmissionsListView, ScopedLogEntriesView):
        assert issubclass(view, SpreadsheetExportMixin)
        assert view().preprocess_field_value("title", "=1+1", "csv") == "'=1+1"
        assert view.get_heading.is_safe and view.generate_xlsx_row.is_safe


def test_a_wagtail_report_we_do_not_override_exports_a_hostile_title_as_text(admin_client):
    """The ageing-pages report: a page titled as a formula is written neutralised in CSV and xlsx."""
    from django.utils import timezone
    from wagtail.models import Page

    from core.tests.hostile import HYPERLINK, texts_in_csv, texts_in_xlsx

    root = Page.get_first_root_node()
    root.add_child(
        instance=Page(title=HYPERLINK, slug="hostile", live=True, last_published_at=timezone.now())
    )
    for fmt, read in (("csv", texts_in_csv), ("xlsx", texts_in_xlsx)):
        response = admin_client.get("/admin/reports/aging-pages/", {"export": fmt})
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        texts = read(content)
        assert "'" + HYPERLINK in texts
        assert HYPERLINK not in texts
