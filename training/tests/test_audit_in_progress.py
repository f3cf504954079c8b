"""The audit's officer lists show "đang học": required, not yet trained, and begun an assigned course."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from courses.tests.conftest import build_course
from organizations.models import Role
from training.audit import assignments
from training.audit.exports import HEADER_ROW
from training.models import RequirementCourse

from .audit_helpers import CORPS, YEAR, officer_with, program09_fixture, record  # noqa: F401


@pytest.fixture
def roster(tree, program09):
    course, _, _ = build_course(slug="bat-buoc")
    RequirementCourse.objects.create(requirement=program09[CORPS], course=course)
    people = {
        "begun": officer_with(tree["gb"], Role.PROPAGANDIST, given_name="Bình"),
        "waiting": officer_with(tree["gb"], Role.REPORTER, given_name="Quyên"),
        "trained": officer_with(tree["gb"], Role.REPORTER, given_name="Khuê"),
    }
    record(people["trained"], date(YEAR, 4, 1))
    assignments.recompute(years=[YEAR])
    assignments.mark_started(officer_id=people["begun"].pk, course_id=course.pk)
    assignments.mark_started(officer_id=people["trained"].pk, course_id=course.pk)  # and finished elsewhere
    return people


def test_the_in_progress_filter_lists_only_who_has_begun(client, auditor, roster):
    client.force_login(auditor)
    html = client.get("/audit/officers/", {"year": YEAR, "status": "in_progress"}).content.decode()
    assert "Bình" in html
    assert "Quyên" not in html and "Khuê" not in html
    assert '<option value="in_progress" selected>Đang học</option>' in html


def test_the_untrained_list_shows_who_is_in_progress(client, auditor, roster):
    client.force_login(auditor)
    html = client.get("/audit/officers/", {"year": YEAR, "status": "untrained"}).content.decode()
    rows = {
        name: row
        for row in re.findall(r"<tr>.*?</tr>", html, re.S)
        for name in ("Bình", "Quyên")
        if name in row
    }
    assert "Đang học" in rows["Bình"]
    assert "Chưa bồi dưỡng" in rows["Quyên"] and "Đang học" not in rows["Quyên"]
    assert "Khuê" not in html


def test_the_exports_carry_the_same_status(client, auditor, roster):
    client.force_login(auditor)
    response = client.get("/audit/export/officers.csv", {"year": YEAR, "status": "all"})
    text = response.content.decode("utf-8-sig")
    statuses = {row[1]: row[-1] for row in csv.reader(io.StringIO(text)) if len(row) > 2}
    by_name = {name.split()[-1]: status for name, status in statuses.items()}
    assert by_name["Bình"] == "Đang học"
    assert by_name["Quyên"] == "Chưa bồi dưỡng"
    assert by_name["Khuê"] == "Đã bồi dưỡng"

    response = client.get("/audit/export/officers.xlsx", {"year": YEAR, "status": "in_progress"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[1]]
    assert [r[1].split()[-1] for r in rows] == ["Bình"]
    assert rows[0][-1] == "Đang học"


def test_an_unassigned_officer_is_no_longer_in_progress(client, auditor, roster):
    roster["begun"].roles.all().delete()
    roster["begun"].roles.create(
        role=Role.UNIT_MANAGER, unit=roster["begun"].unit, start_date=date(2020, 1, 1)
    )
    assignments.recompute(years=[YEAR])
    client.force_login(auditor)
    html = client.get("/audit/officers/", {"year": YEAR, "status": "in_progress"}).content.decode()
    assert "Bình" not in html
