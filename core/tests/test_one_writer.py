"""Every spreadsheet the site writes goes through core.spreadsheets: no other module makes an
openpyxl workbook or a csv writer of its own (and Wagtail's exports take the safe mixin)."""

import re
from pathlib import Path

from django.conf import settings

WRITING = re.compile(
    r"from openpyxl import [^\n]*\bWorkbook\b|openpyxl\.Workbook\(|csv\.(writer|DictWriter)\(|"
    r"\bSpreadsheetExportMixin\b|\bLogEntriesView\b|\bSubmissionsListView\b"
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
    # The scoped site history subclasses Wagtail's view, with the safe mixin first.
    offenders = [o for o in offenders if not o.startswith("organizations/history.py")]
    assert offenders == []


def test_the_wagtail_views_that_export_take_the_safe_mixin(db):
    from core.spreadsheets.admin_exports import SafeSpreadsheetExportMixin
    from organizations.history import ScopedLogEntriesView
    from surveys.models import SurveyPage

    assert ScopedLogEntriesView.__mro__[1] is SafeSpreadsheetExportMixin
    assert issubclass(SurveyPage().get_submissions_list_view_class(), SafeSpreadsheetExportMixin)
