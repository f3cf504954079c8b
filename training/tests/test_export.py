"""Exports hold exactly what the screen shows, scoped like the screen; large ones run in Celery."""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from organizations.models import Role
from training.audit.exports import HEADER_ROW
from training.models import AuditExport, ExportStatus

from .audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)


@pytest.fixture
def roster(tree, program09):
    people = [
        officer_with(tree["city"], Role.PROPAGANDA_OFFICER, given_name="Lan"),
        officer_with(tree["a"], Role.PROPAGANDIST, given_name="Bình"),
        officer_with(tree["ga"], Role.GRASSROOTS_CHAIR, given_name="Cường"),
        officer_with(tree["ga"], Role.PROPAGANDIST, Role.REPORTER, given_name="Anh"),
        officer_with(tree["gb"], Role.REPORTER, given_name="Hà"),
    ]
    record(people[1], date(YEAR, 4, 1))
    record(people[2], date(YEAR, 5, 1))
    return people


def sheet_rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def test_xlsx_numbers_equal_the_screen(client, auditor, roster):
    client.force_login(auditor)
    screen = client.get("/audit/", {"year": YEAR, "sort": "-corps"})
    response = client.get("/audit/export/dashboard.xlsx", {"year": YEAR, "sort": "-corps"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Đơn vị"]
    summary, units = book["Tổng hợp"], book["Đơn vị"]
    assert [c.value for c in summary[HEADER_ROW]] == [
        "Mục tiêu",
        "Phải đạt",
        "Đã đạt",
        "Chưa đạt",
        "Tỷ lệ (%)",
    ]
    headline = screen.context["headline"]
    assert [(r[1], r[2]) for r in sheet_rows(summary)] == [(f.required, f.done) for f in headline.values()]
    screen_rows = list(screen.context["page_obj"])
    exported = sheet_rows(units)
    assert [r[1] for r in exported] == [r.node.code for r in screen_rows]
    for row, cells in zip(screen_rows, exported, strict=True):
        assert cells[4:6] == [row.figures["staffing"].required, row.figures["staffing"].done]
        assert cells[7:9] == [row.figures["corps"].required, row.figures["corps"].done]
        assert cells[10:12] == [
            row.figures["large_grassroots"].required,
            row.figures["large_grassroots"].done,
        ]
    assert units.page_setup.orientation == "landscape" and units.print_title_rows == "$3:$3"


def test_officer_csv_equals_the_filtered_screen(client, auditor, roster):
    client.force_login(auditor)
    params = {"year": YEAR, "role": Role.REPORTER, "status": "all"}
    screen = client.get("/audit/officers/", params)
    response = client.get("/audit/export/officers.csv", params)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["STT", "Họ và tên", "Mã cán bộ"]
    assert [r[1] for r in rows[1:]] == [o["display_name"] for o in screen.context["officers"]]
    assert [r[6] for r in rows[1:]] == ["Chưa bồi dưỡng", "Chưa bồi dưỡng"]


def test_manager_export_holds_only_their_subtree(client, manager_a, roster):
    client.force_login(manager_a)
    book = load_workbook(io.BytesIO(client.get("/audit/export/all.xlsx", {"year": YEAR}).content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Đơn vị",
        "Theo vai trò",
        "Chưa bồi dưỡng",
        "Chưa có tuyên truyền viên",
    ]
    codes = [r[1] for r in sheet_rows(book["Đơn vị"])]
    assert codes == ["Q-BD", "CS-A"]
    names = [r[1] for r in sheet_rows(book["Chưa bồi dưỡng"])]
    assert names == ["Nguyễn Văn Anh"]
    assert sheet_rows(book["Chưa có tuyên truyền viên"]) == []
    text = b"".join(client.get("/audit/export/officers.csv", {"year": YEAR, "status": "all"}).content.split())
    assert "Hà".encode() not in text and b"Lan" not in text
    assert client.get("/audit/export/dashboard.xlsx", {"year": YEAR, "unit": "Q-CG"}).status_code == 404


def test_unknown_export_view_or_format_is_not_found(client, auditor, roster):
    client.force_login(auditor)
    assert client.get("/audit/export/secret.xlsx", {"year": YEAR}).status_code == 404
    assert client.get("/audit/export/officers.pdf", {"year": YEAR}).status_code == 404
    assert client.get("/audit/export/all.csv", {"year": YEAR}).status_code == 404


def test_large_export_runs_as_a_task_with_progress_and_a_download(
    client, auditor, roster, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from lms.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(auditor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get("/audit/export/officers.xlsx", {"year": YEAR})
    finally:
        app.conf.task_always_eager = False
    job = AuditExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/audit/exports/{job.pk}/"
    assert job.status == ExportStatus.DONE and job.progress == 100
    status = client.get(f"/audit/exports/{job.pk}/?format=json").json()
    assert status["status"] == "done" and status["download_url"].endswith("/download/")
    download = client.get(status["download_url"])
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert [r[1] for r in sheet_rows(book.active)] == ["Nguyễn Văn Anh", "Nguyễn Văn Hà", "Nguyễn Văn Lan"]
    # Somebody else's export is not theirs to see.
    from organizations.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(f"/audit/exports/{job.pk}/").status_code == 404
    assert client.get(f"/audit/exports/{job.pk}/download/").status_code == 404


def test_audit_report_command_writes_the_same_workbook(client, auditor, roster, tmp_path):
    output = tmp_path / "report.xlsx"
    call_command("audit_report", "--year", str(YEAR), "--unit", "Q-BD", "--output", str(output))
    book = load_workbook(output)
    assert [r[1] for r in sheet_rows(book["Đơn vị"])] == ["Q-BD", "CS-A"]
    client.force_login(auditor)
    # The dashboard offers the same workbook: its "full report" link.
    page = client.get("/audit/", {"year": YEAR, "unit": "Q-BD"}).content.decode()
    link = re.search(r'href="(/audit/export/all\.xlsx\?[^"]*)">Báo cáo đầy đủ', page).group(1)
    screen = load_workbook(io.BytesIO(client.get(html.unescape(link)).content))
    assert (
        book.sheetnames
        == screen.sheetnames
        == [
            "Tổng hợp",
            "Đơn vị",
            "Theo vai trò",
            "Chưa bồi dưỡng",
            "Chưa có tuyên truyền viên",
        ]
    )
    for name in book.sheetnames:
        assert sheet_rows(book[name]) == sheet_rows(screen[name])
    with pytest.raises(CommandError):
        call_command("audit_report", "--year", str(YEAR), "--unit", "NOPE", "--output", str(output))


def test_audit_report_command_says_what_went_wrong(roster, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("audit_report", "--year", str(YEAR), "--output", str(tmp_path / "missing" / "r.xlsx"))
    errors = io.StringIO()
    call_command("audit_report", "--year", "2001", "--output", str(tmp_path / "r.xlsx"), stderr=errors)
    assert "No requirements are set for 2001" in errors.getvalue()
    assert (tmp_path / "r.xlsx").exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_large_export_through_a_real_celery_worker(client, auditor, roster, settings):
    import time

    from lms.testing.servers import celery_worker

    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    client.force_login(auditor)
    with celery_worker():
        response = client.get("/audit/export/officers.csv", {"year": YEAR, "status": "all"})
        assert response.status_code == 302
        status_url = response["Location"] + "?format=json"
        deadline = time.monotonic() + 90
        status = client.get(status_url).json()
        progress_seen = {status["progress"]}
        while status["status"] != "done" and time.monotonic() < deadline:
            time.sleep(0.3)
            status = client.get(status_url).json()
            progress_seen.add(status["progress"])
    assert status["status"] == "done", status
    page = client.get(response["Location"])
    assert "Tải xuống" in page.content.decode() and status["download_url"] in page.content.decode()
    download = client.get(status["download_url"])
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert names == [
        "Nguyễn Văn Anh",
        "Nguyễn Văn Bình",
        "Nguyễn Văn Cường",
        "Nguyễn Văn Hà",
        "Nguyễn Văn Lan",
    ]
    assert 100 in progress_seen


def test_export_links_are_followed_not_saved_and_a_large_export_shows_its_progress_page(
    client, auditor, roster, settings, django_capture_on_commit_callbacks
):
    """A large export answers with an HTML page: a link with "download" would save that page."""
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    client.force_login(auditor)
    for screen in ("/audit/", "/audit/officers/", "/audit/roles/", "/audit/unstaffed/"):
        content = client.get(screen, {"year": YEAR}).content.decode()
        assert "/audit/export/" in content and " download" not in content
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # no worker: nothing is sent
        response = client.get("/audit/export/officers.xlsx", {"year": YEAR, "role": Role.REPORTER})
    assert len(callbacks) == 1
    job = AuditExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/audit/exports/{job.pk}/"
    page = client.get(response["Location"])
    assert page["Content-Type"].startswith("text/html") and not page.has_header("Content-Disposition")
    html = page.content.decode()
    assert "Đang chuẩn bị tệp xuất" in html and "Đang chờ · 0%" in html
    assert "core/js/job-progress.js" in html  # the page polls

    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="boom")
    status = client.get(f"/audit/exports/{job.pk}/?format=json").json()
    assert (status["status"], status["label"]) == ("failed", ExportStatus.FAILED.label)
    assert status["running"] is False
    html = client.get(response["Location"]).content.decode()
    assert '<div id="export-failed" role="alert" data-job-when="failed">' in html
    assert "Xuất dữ liệu bị lỗi: chưa tạo được tệp" in html
    assert f'href="/audit/export/officers.xlsx?year={YEAR}&amp;role=reporter&amp;status=untrained"' in html


def cell(value):
    """A value as the CSV writes it."""
    return "" if value is None else str(value)


def pct(figure):
    """The rate as exported: the number with two decimals, rounded half up (12.50, never 12.5)."""
    return figure.percent


def csv_sections(content: bytes) -> tuple[str, dict[str, list[list[str]]]]:
    """A CSV of several tables: its heading line, and per section title its header and rows."""
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    heading, sections, current = lines[0][0], {}, None
    for line in lines[1:]:
        if not line:
            current = None
        elif current is None:
            current = sections.setdefault(line[0], [])
        else:
            current.append(line)
    return heading, sections


def headline_cells(headline):
    return [[cell(f.required), cell(f.done), cell(f.missing), cell(pct(f))] for f in headline.values() if f]


def test_dashboard_csv_carries_the_headline_the_units_and_a_grassroots_unions_officers(
    client, auditor, roster
):
    client.force_login(auditor)
    params = {"year": YEAR, "sort": "-corps"}
    screen = client.get("/audit/", params)
    heading, sections = csv_sections(client.get("/audit/export/dashboard.csv", params).content)
    assert heading == f"Kết quả bồi dưỡng năm {YEAR} — Liên đoàn Lao động thành phố Hà Nội"
    assert list(sections) == ["Tổng hợp", "Đơn vị"]
    summary = sections["Tổng hợp"]
    assert summary[0] == ["Mục tiêu", "Phải đạt", "Đã đạt", "Chưa đạt", "Tỷ lệ (%)"]
    assert [r[1:] for r in summary[1:]] == headline_cells(screen.context["headline"])
    assert summary[2][1:] == ["4", "1", "3", "25.00"]  # target 2: four required, one trained
    units = sections["Đơn vị"][1:]
    screen_rows = list(screen.context["page_obj"])
    assert [r[1] for r in units] == [r.node.code for r in screen_rows]
    for row, cells in zip(screen_rows, units, strict=True):
        assert cells[7:10] == [
            cell(row.figures["corps"].required),
            cell(row.figures["corps"].done),
            cell(pct(row.figures["corps"])),
        ]

    # A grassroots union's screen lists its officers under its units: so does the file.
    params = {"year": YEAR, "unit": "CS-A", "sort": "-name"}
    screen = client.get("/audit/", params)
    heading, sections = csv_sections(client.get("/audit/export/dashboard.csv", params).content)
    assert heading.endswith("CĐCS Công ty May Ba Đình")
    assert list(sections) == ["Tổng hợp", "Đơn vị", "Cán bộ"]
    assert [r[1:] for r in sections["Tổng hợp"][1:]] == headline_cells(screen.context["headline"])
    assert [r[1] for r in sections["Đơn vị"][1:]] == ["CS-A"]
    officers = sections["Cán bộ"]
    assert officers[0][:3] == ["STT", "Họ và tên", "Mã cán bộ"]
    assert [r[1] for r in officers[1:]] == [o["display_name"] for o in screen.context["officers"]]
    assert [r[1] for r in officers[1:]] == ["Nguyễn Văn Cường", "Nguyễn Văn Anh"]
    assert [r[6] for r in officers[1:]] == ["Đã bồi dưỡng", "Chưa bồi dưỡng"]


def test_roles_exports_hold_the_screens_headline_and_breakdown(client, auditor, roster):
    client.force_login(auditor)
    params = {"year": YEAR, "unit": "Q-BD", "sort": "-corps"}
    screen = client.get("/audit/roles/", params)
    rows, headline = screen.context["rows"], screen.context["headline"]
    # Highest rate of target 2 first; roles that target does not concern (no rate) last.
    assert [str(r.label) for r in rows] == ["Tuyên truyền viên", "Báo cáo viên", "Chủ tịch CĐCS"]

    def expected(row):
        return [
            str(row.label),
            row.figures["corps"].required,
            row.figures["corps"].done,
            pct(row.figures["corps"]),
            row.figures["large_grassroots"].required,
            row.figures["large_grassroots"].done,
            pct(row.figures["large_grassroots"]),
        ]

    book = load_workbook(io.BytesIO(client.get("/audit/export/roles.xlsx", params).content))
    assert book.sheetnames == ["Tổng hợp", "Theo vai trò"]
    assert book["Theo vai trò"]["A1"].value == f"Kết quả bồi dưỡng năm {YEAR} — LĐLĐ quận Ba Đình"
    assert [r[1:3] for r in sheet_rows(book["Tổng hợp"])] == [[f.required, f.done] for f in headline.values()]
    assert sheet_rows(book["Theo vai trò"]) == [expected(r) for r in rows]
    assert sheet_rows(book["Theo vai trò"])[0] == ["Tuyên truyền viên", 2, 1, 50.0, 1, 0, 0.0]
    assert book["Theo vai trò"].cell(HEADER_ROW + 1, 4).number_format == "0.00"  # Excel shows 50.00

    heading, sections = csv_sections(client.get("/audit/export/roles.csv", params).content)
    assert heading == f"Kết quả bồi dưỡng năm {YEAR} — LĐLĐ quận Ba Đình"
    assert list(sections) == ["Tổng hợp", "Theo vai trò"]
    assert [r[1:] for r in sections["Tổng hợp"][1:]] == headline_cells(headline)
    assert sections["Theo vai trò"][0][0] == "Vai trò"
    assert sections["Theo vai trò"][1:] == [[cell(v) for v in expected(r)] for r in rows]


def test_unstaffed_exports_equal_the_screen_in_its_order(client, auditor, tree, roster):
    from organizations.models import UnitLevel
    from organizations.tests.factories import UnitFactory

    for code, workers in (("CS-X", 1000), ("CS-Y", 2500), ("CS-Z", 999)):
        UnitFactory(parent=tree["b"], code=code, level=UnitLevel.GRASSROOTS, worker_count=workers)
    client.force_login(auditor)
    params = {"year": YEAR, "sort": "-workers"}
    screen = client.get("/audit/unstaffed/", params)
    units = screen.context["units"]
    # CS-Z (999 workers) needs no propagandist; Q-BD and CS-A have one.
    assert [u["code"] for u in units] == ["CS-Y", "CS-X", "Q-CG"]
    expected = [
        # An upper-level union's own row has a blank upper-level union cell (read back as None).
        [
            index,
            u["name"],
            u["code"],
            str(UnitLevel(u["level"]).label),
            u["worker_count"],
            u["upper_name"] or None,
        ]
        for index, u in enumerate(units, start=1)
    ]

    book = load_workbook(io.BytesIO(client.get("/audit/export/unstaffed.xlsx", params).content))
    assert book.sheetnames == ["Chưa có tuyên truyền viên"]
    assert sheet_rows(book.active) == expected
    assert sheet_rows(book.active)[0][3:] == ["Công đoàn cơ sở", 2500, "LĐLĐ quận Cầu Giấy"]

    content = client.get("/audit/export/unstaffed.csv", params).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    assert lines[0] == ["STT", "Đơn vị", "Mã", "Cấp", "Lao động", "Công đoàn cấp trên trực tiếp"]
    assert lines[1:] == [[cell(v) for v in row] for row in expected]
