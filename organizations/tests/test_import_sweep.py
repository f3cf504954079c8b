"""Import jobs whose worker died are failed; unconfirmed previews expire and their files go."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organizations.importing import jobs
from organizations.models import ImportJob, ImportStatus, Officer, RoleAssignment
from organizations.tasks import sweep_roster_imports
from organizations.tests.conftest import officer_row, write_workbook


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def preview(client, user, tmp_path, name="r.xlsx", **extra) -> ImportJob:
    """Upload a good file through the page; returns its job, previewed and READY."""
    client.force_login(user)
    path = write_workbook(tmp_path / name, officers=[officer_row(code="")])  # codes: the department's
    with open(path, "rb") as handle:
        client.post(
            reverse("organizations:import_upload"),
            {"file": SimpleUploadedFile(name, handle.read()), **extra},
        )
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.READY
    return job


def age(job, **delta) -> None:
    then = timezone.now() - timedelta(**delta)
    ImportJob.objects.filter(pk=job.pk).update(last_progress_at=then, finished_at=then)


def test_the_sweep_is_on_the_beat_schedule():
    from lms.celery import app

    entry = app.conf.beat_schedule["organizations.sweep_roster_imports"]
    assert entry["task"] == sweep_roster_imports.name


def test_a_job_without_progress_is_failed_and_its_file_deleted(client, auditor, tree, tmp_path, settings):
    settings.ROSTER_IMPORT_STALLED_MINUTES = 30
    stuck = preview(client, auditor, tmp_path)
    assert jobs.start_import(stuck)  # confirmed, then the worker was killed before it began
    busy = preview(client, auditor, tmp_path, name="s.xlsx")
    assert jobs.start_import(busy)
    stuck_path = stuck.stored_path
    age(stuck, minutes=31)
    age(busy, seconds=30)  # its heartbeat is fresh: its worker is alive
    assert sweep_roster_imports.run()["stalled"] == 1
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
    assert "bị gián đoạn" in stuck.message and "chưa có dữ liệu nào được ghi" in stuck.message
    assert stuck.stored_path == "" and not os.path.exists(stuck_path)
    assert busy.status == ImportStatus.IMPORTING and os.path.exists(busy.stored_path)
    # The page stops waiting and says what happened.
    page = client.get(reverse("organizations:import_detail", args=[stuck.pk]))
    assert "bị gián đoạn" in page.text and "job-progress.js" not in page.text
    # A late redelivery of the lost task does nothing.
    assert jobs.apply_job(stuck.pk).status == ImportStatus.FAILED
    assert not Officer.objects.filter(email="khai@example.vn").exists()


def test_writes_of_a_job_given_up_on_are_rolled_back(client, auditor, tree, tmp_path, monkeypatch):
    """A job that stopped importing meanwhile does not commit its rows."""
    job = preview(client, auditor, tmp_path)
    assert jobs.start_import(job)
    from organizations import importing

    real_apply = importing.apply_plan

    def slow_apply(plan):
        real_apply(plan)  # the rows are written inside the transaction ...
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)  # ... and it is given up

    monkeypatch.setattr(importing, "apply_plan", slow_apply)
    job = jobs.apply_job(job.pk)
    assert job.status != ImportStatus.DONE
    assert not Officer.objects.filter(email="khai@example.vn").exists()
    assert not RoleAssignment.objects.filter(officer__email="khai@example.vn").exists()


@pytest.mark.django_db(transaction=True)
def test_sweeper_giving_up_during_the_write_keeps_its_message_true(
    client, auditor, tree, tmp_path, monkeypatch
):
    """On PostgreSQL the sweeper commits on its own connection while the import is writing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two writers: the sweeper waits for the import to commit")
    import threading

    job = preview(client, auditor, tmp_path)
    assert jobs.start_import(job)
    from organizations import importing

    real_apply = importing.apply_plan
    swept = {}

    def sweep_elsewhere():
        from django.db import connection as other

        try:
            age(job, hours=1)
            swept.update(jobs.sweep_jobs())
        finally:
            other.close()

    def slow_apply(plan):
        real_apply(plan)
        sweeper = threading.Thread(target=sweep_elsewhere)
        sweeper.start()
        sweeper.join(30)

    monkeypatch.setattr(importing, "apply_plan", slow_apply)
    job = jobs.apply_job(job.pk)
    assert swept["stalled"] == 1
    assert job.status == ImportStatus.FAILED and "bị gián đoạn" in job.message
    assert not Officer.objects.filter(email="khai@example.vn").exists()


def test_a_crash_while_writing_fails_the_job_and_writes_nothing(client, auditor, tree, tmp_path, monkeypatch):
    job = preview(client, auditor, tmp_path)
    from organizations import importing

    def broken_apply(plan):
        from organizations.models import Officer as Model

        Model.objects.create(code="HALF", family_name="Nửa", given_name="Chừng", unit=tree["ga"])
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "apply_plan", broken_apply)
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "lỗi ngoài dự kiến" in job.message
    assert not Officer.objects.filter(code__in=["HALF", "CB-001"]).exists()
    assert job.stored_path == ""


def test_done_is_committed_with_the_data(client, auditor, tree, tmp_path):
    job = preview(client, auditor, tmp_path)
    client.post(reverse("organizations:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["officers_created"] == 1
    age(job, hours=5)
    assert jobs.sweep_jobs()["stalled"] == 0  # a finished job is never touched
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_unconfirmed_preview_expires_after_a_day(client, auditor, manager_a, tree, tmp_path, settings):
    settings.ROSTER_IMPORT_PREVIEW_HOURS = 24
    old = preview(client, manager_a, tmp_path)
    kept = preview(client, auditor, tmp_path, name="k.xlsx", keep_file="on")
    fresh = preview(client, manager_a, tmp_path, name="f.xlsx")
    old_path, kept_path = old.stored_path, kept.stored_path
    age(old, hours=25)
    age(kept, hours=25)
    age(fresh, hours=2)
    assert sweep_roster_imports.run()["expired"] == 2
    old.refresh_from_db()
    kept.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ImportStatus.EXPIRED and old.stored_path == "" and not os.path.exists(old_path)
    assert kept.status == ImportStatus.EXPIRED and os.path.exists(kept_path)  # the auditor asked
    assert fresh.status == ImportStatus.READY and os.path.exists(fresh.stored_path)
    client.force_login(manager_a)
    page = client.get(reverse("organizations:import_detail", args=[old.pk]))
    assert "Bản xem trước đã hết hạn" in page.text and "Xác nhận nhập" not in page.text
    client.post(reverse("organizations:import_confirm", args=[old.pk]))
    assert not Officer.objects.filter(email="khai@example.vn").exists()


def test_orphan_upload_files_are_deleted_after_a_day(db, settings):
    folder = jobs.upload_dir()
    orphan, recent = folder / "orphan.xlsx", folder / "recent.xlsx"
    orphan.write_bytes(b"x")
    recent.write_bytes(b"x")
    day_ago = (timezone.now() - timedelta(hours=30)).timestamp()
    os.utime(orphan, (day_ago, day_ago))
    assert jobs.sweep_jobs()["orphans"] == 1
    assert not orphan.exists() and recent.exists()


def test_an_import_whose_worker_died_a_minute_ago_is_imported_again_once(
    client, auditor, tree, tmp_path, monkeypatch
):
    """The heartbeat (last_progress_at) stopped a minute ago: the sweep sends the import again,
    and it runs from the start; a late second delivery writes nothing more."""
    from lms.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    job = preview(client, auditor, tmp_path)
    before = Officer.objects.count()
    assert jobs.start_import(job)  # confirmed; the worker that took it was killed
    age(job, seconds=90)
    assert sweep_roster_imports.run()["restarted"] == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["officers_created"] == 1
    assert Officer.objects.count() == before + 1
    assert jobs.apply_job(job.pk).status == ImportStatus.DONE
    assert Officer.objects.count() == before + 1
    assert sweep_roster_imports.run()["restarted"] == 0


def test_an_import_with_a_live_heartbeat_is_left_alone(client, auditor, tree, tmp_path):
    job = preview(client, auditor, tmp_path)
    assert jobs.start_import(job)
    age(job, seconds=20)
    assert sweep_roster_imports.run() == {"stalled": 0, "restarted": 0, "expired": 0, "orphans": 0}
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
