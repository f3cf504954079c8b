"""Unit names, officer names and codes typed as formulas are exported as neutralised text, by every
audit export: each screen in .xlsx and CSV, the large export a worker writes, the audit_report
command. Numbers stay numbers."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core.tests.hostile import (
    HOSTILE,
    HYPERLINK,
    assert_neutralised,
    neutralised,
    texts_in_csv,
    texts_in_xlsx,
)
from organizations.models import Role
from training.audit.exports import HEADER_ROW
from training.models import AuditExport

from .audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
)


@pytest.fixture
def hostile(tree, program09):
    """Each hostile value where an export writes it at the start of a cell."""
    for key, name in (("a", HYPERLINK), ("b", "-2"), ("ga", "@SUM(A1)")):
        tree[key].name = name
        tree[key].save()
    officer_with(tree["gb"], Role.REPORTER, family_name="+1", middle_name="", given_name="", code="\tx")
    officer_with(tree["ga"], Role.REPORTER, family_name="\rx", middle_name="", given_name="")
    officer_with(tree["ga"], Role.REPORTER, given_name="Anh")
    return tree


SCREENS = {
    "dashboard": (HYPERLINK, "-2"),  # the units table
    "roles": (),
    "officers": ("+1", "\tx", "\rx"),
    "unstaffed": ("-2", "@SUM(A1)", HYPERLINK),  # unit names, the upper-level union's name
}


@pytest.mark.parametrize("view", SCREENS)
def test_every_screen_s_xlsx_and_csv_neutralise_what_a_spreadsheet_would_run(client, auditor, hostile, view):
    client.force_login(auditor)
    params = {"year": YEAR, "status": "all"}
    xlsx = client.get(f"/audit/export/{view}.xlsx", params)
    assert xlsx.status_code == 200
    assert_neutralised(texts_in_xlsx(xlsx.content), SCREENS[view], xlsx=True)
    csv_ = client.get(f"/audit/export/{view}.csv", params)
    assert csv_.status_code == 200
    assert_neutralised(texts_in_csv(csv_.content), SCREENS[view])


def test_the_full_workbook_neutralises_every_hostile_value_and_keeps_numbers(client, auditor, hostile):
    client.force_login(auditor)
    response = client.get("/audit/export/all.xlsx", {"year": YEAR})
    expected = ("-2", "@SUM(A1)", HYPERLINK, "+1", "\rx")
    assert_neutralised(texts_in_xlsx(response.content), expected, xlsx=True)
    book = load_workbook(io.BytesIO(response.content))
    untrained = book["Chưa bồi dưỡng"]
    numbers = [row[0] for row in untrained.iter_rows(min_row=HEADER_ROW + 1)]
    assert [c.value for c in numbers] == [1, 2, 3] and {c.data_type for c in numbers} == {"n"}
    summary = book["Tổng hợp"]
    corps = [row for row in summary.iter_rows(min_row=HEADER_ROW + 1)][1]  # target 2: 0 of 3 trained
    assert [(c.value, c.data_type) for c in corps[1:]] == [(3, "n"), (0, "n"), (3, "n"), (0, "n")]
    assert corps[4].number_format == "0.00"  # Excel shows 0.00


def test_the_officer_list_keeps_names_as_typed_after_the_apostrophe(client, auditor, hostile):
    client.force_login(auditor)
    response = client.get("/audit/export/officers.csv", {"year": YEAR, "status": "all"})
    texts = texts_in_csv(response.content)
    assert "'+1" in texts and "'\tx" in texts and "Nguyễn Văn Anh" in texts


def test_the_audit_report_command_neutralises_too(hostile, tmp_path):
    output = tmp_path / "report.xlsx"
    call_command("audit_report", "--year", str(YEAR), "--output", str(output), stdout=io.StringIO())
    assert_neutralised(texts_in_xlsx(output.read_bytes()), ("-2", "@SUM(A1)", HYPERLINK, "+1"), xlsx=True)


def test_a_large_export_written_by_the_task_neutralises_too(
    client, auditor, hostile, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from lms.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(auditor)
        for fmt in ("xlsx", "csv"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.get(f"/audit/export/officers.{fmt}", {"year": YEAR, "status": "all"})
            assert response.status_code == 302
    finally:
        app.conf.task_always_eager = False
    jobs = {job.file_path.rsplit(".", 1)[1]: job for job in AuditExport.objects.all()}
    for fmt, job in jobs.items():
        download = client.get(f"/audit/exports/{job.pk}/download/")
        content = b"".join(download.streaming_content)
        texts = texts_in_xlsx(content) if fmt == "xlsx" else texts_in_csv(content)
        assert_neutralised(texts, ("+1", "\tx", "\rx"), xlsx=fmt == "xlsx")
    assert set(jobs) == {"xlsx", "csv"}


def test_every_hostile_value_is_covered():
    covered = {value for values in SCREENS.values() for value in values}
    assert covered == set(HOSTILE) and neutralised("=1") == "'=1"


def test_the_attendance_template_of_a_class_titled_as_a_formula_holds_no_formula(client, manager_a, tree):
    from django.urls import reverse

    from .class_factories import InPersonClassFactory

    klass = InPersonClassFactory(organising_unit=tree["a"], title=HYPERLINK)
    client.force_login(manager_a)
    response = client.get(reverse("training:class_upload_template", args=[klass.pk]))
    assert response.status_code == 200
    texts = texts_in_xlsx(response.content)
    assert f"Lớp: {HYPERLINK}" in texts and "Mã cán bộ" in texts
    assert_neutralised(texts, ())
