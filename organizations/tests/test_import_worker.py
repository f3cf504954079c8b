"""A big roster file checked and imported by a real Celery worker, as the upload page drives it."""

import os
import time
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.testing.servers import celery_worker
from organizations.models import ImportJob, ImportStatus, Officer, RoleAssignment, Unit
from organizations.tests import worker_settings
from organizations.tests.conftest import write_workbook

pytestmark = pytest.mark.worker

UNITS = 12
OFFICERS = 360
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc", "Phương", "Quân"]


def roster(path):
    units = [
        [f"CS-W{i:02d}", "Q-BD", f"CĐCS Công ty số {i} Ba Đình", "Cơ sở", "", 100 + i] for i in range(UNITS)
    ]
    born = date(1970, 1, 1)
    officers = [
        [
            f"CB-W{n:04d}",
            f"{FAMILY[n % len(FAMILY)]} Văn {GIVEN[n % len(GIVEN)]}",
            (born + timedelta(days=37 * n)).strftime("%d/%m/%Y"),
            "Nam",
            f"09{n:08d}",
            f"can.bo.{n}@example.vn",
            f"CS-W{n % UNITS:02d}",
            "Tuyên truyền viên",
            "01/01/2025",
            None,
        ]
        for n in range(OFFICERS)
    ]
    return write_workbook(path, units=units, officers=officers)


def poll(client, job, until, timeout=90):
    """Poll the status endpoint as the page's script does; return every answer seen."""
    url = reverse("organizations:import_status", args=[job.pk])
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        seen.append(response.json())
        if until(seen[-1]):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"job still {seen[-1]['status']} after {timeout} s: {seen[-1]}")


def assert_progress_never_goes_back(seen):
    percents = [answer["progress"] for answer in seen]
    assert percents == sorted(percents), percents
    rows = [answer["processed_rows"] for answer in seen]
    assert rows == sorted(rows), rows
    assert all(0 <= p <= 99 for p in percents[:-1]) and percents[-1] == 100
    assert all(a["processed_rows"] <= a["total_rows"] for a in seen if a["total_rows"])
    # The worker saves its progress every few rows (worker_settings): the bar moves, not only jumps.
    assert any(0 < p < 100 for p in percents), percents


@pytest.mark.django_db(transaction=True)
def test_a_big_file_is_previewed_and_imported_by_the_worker(client, auditor, tree, settings, tmp_path):
    # Only the web process decides "background or not" (on upload and on confirm), so the
    # threshold is lowered here. The worker reads the file by the absolute path stored on the
    # job, shares the test database, and gets its own settings through DJANGO_SETTINGS_MODULE.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.ROSTER_IMPORT_PROGRESS_ROWS = worker_settings.ROSTER_IMPORT_PROGRESS_ROWS
    path = roster(tmp_path / "big.xlsx")
    settings.ROSTER_IMPORT_SYNC_BYTES = os.path.getsize(path) - 1
    units_before, officers_before = Unit.objects.count(), Officer.objects.count()
    client.force_login(auditor)

    with celery_worker({"DJANGO_SETTINGS_MODULE": worker_settings.__name__}):
        with open(path, "rb") as handle:
            response = client.post(
                reverse("organizations:import_upload"),
                {"file": SimpleUploadedFile("danh-sach.xlsx", handle.read())},
            )
        job = ImportJob.objects.get()
        assert response.url == reverse("organizations:import_detail", args=[job.pk])
        page = client.get(response.url)
        assert 'id="import-progress"' in page.text  # the page polls; nothing is checked yet
        assert os.path.exists(job.stored_path)

        seen = poll(client, job, until=lambda answer: not answer["running"])
        assert seen[0]["running"] and seen[0]["status"] in ("queued", "checking")
        assert seen[-1]["status"] == "ready", seen[-1]
        assert seen[-1]["processed_rows"] == UNITS + OFFICERS
        assert_progress_never_goes_back(seen)
        # A preview writes nothing and keeps the file for the confirmation.
        assert (Unit.objects.count(), Officer.objects.count()) == (units_before, officers_before)
        job.refresh_from_db()
        assert os.path.exists(job.stored_path)
        preview = client.get(reverse("organizations:import_detail", args=[job.pk]))
        assert "Xác nhận nhập" in preview.text and "Nguyễn Văn An" in preview.text

        confirm = reverse("organizations:import_confirm", args=[job.pk])
        client.post(confirm)
        client.post(confirm)  # a double click queues nothing more
        seen = poll(client, job, until=lambda answer: not answer["running"])
        assert seen[-1]["status"] == "done", seen[-1]
        assert_progress_never_goes_back(seen)
        time.sleep(0.5)  # a second import, had one been queued, would have run by now

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.summary["officers_created"] == OFFICERS and job.summary["units_created"] == UNITS
    assert Unit.objects.count() == units_before + UNITS
    assert Officer.objects.count() == officers_before + OFFICERS
    assert Officer.objects.filter(code__startswith="CB-W").values("code").distinct().count() == OFFICERS
    assert RoleAssignment.objects.filter(officer__code__startswith="CB-W").count() == OFFICERS
    assert Officer.objects.get(code="CB-W0013").unit.code == "CS-W01"
    assert Unit.objects.get(code="CS-W05").get_parent().code == "Q-BD"
    # The uploaded file is deleted once imported.
    assert job.stored_path == ""
    assert list((tmp_path / "private" / "roster-imports").iterdir()) == []
    done = client.get(reverse("organizations:import_detail", args=[job.pk]))
    assert "job-progress.js" not in done.text
