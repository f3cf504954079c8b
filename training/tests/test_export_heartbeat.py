"""An audit export whose worker died (its heartbeat stopped) is built again by the minute's sweep,
from the start, into the same single file; its part file does not outlive it."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from training import audit_services
from training.models import AuditExport, ExportStatus
from training.tasks import build_audit_export, resume_lost_exports

from .audit_helpers import YEAR
from .test_export import program09_fixture, roster  # noqa: F401  (fixtures)


@pytest.fixture
def queued(client, auditor, roster, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    """A large export asked for; its task not run yet."""
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=False):
        client.get("/audit/export/officers.xlsx", {"year": YEAR})
    return AuditExport.objects.latest("pk")


@pytest.fixture
def eager(monkeypatch):
    from lms.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def died_while_building(job, seconds_ago: int) -> os.PathLike:
    """What a worker killed mid-build leaves: the job running, an old heartbeat, a part file."""
    then = timezone.now() - timedelta(seconds=seconds_ago)
    AuditExport.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=40, heartbeat_at=then)
    part = audit_services.export_folder() / f".{job.pk}-danh-sach.xlsx.part"
    part.write_bytes(b"half a workbook")
    os.utime(part, (then.timestamp(), then.timestamp()))
    return part


def test_an_export_whose_worker_died_is_built_again_once(queued, eager):
    part = died_while_building(queued, seconds_ago=90)
    assert resume_lost_exports() == {"restarted": 1, "failed": 0, "parts": 0}
    queued.refresh_from_db()
    assert queued.status == ExportStatus.DONE and queued.progress == 100
    assert not part.exists()
    assert sorted(p.name for p in audit_services.export_folder().iterdir()) == [queued.file_path]
    # The lost task delivered late (Redis's visibility timeout) finds it done: no second file.
    assert build_audit_export(queued.pk) == queued.file_path
    assert len(list(audit_services.export_folder().iterdir())) == 1
    assert resume_lost_exports() == {"restarted": 0, "failed": 0, "parts": 0}


def test_an_export_with_a_live_heartbeat_is_left_to_its_worker(queued, eager):
    part = died_while_building(queued, seconds_ago=5)
    assert resume_lost_exports() == {"restarted": 0, "failed": 0, "parts": 0}
    # A second delivery of its task while the first runs does not build it beside the first.
    assert build_audit_export(queued.pk) == ""
    queued.refresh_from_db()
    assert queued.status == ExportStatus.RUNNING and part.exists()


def test_an_export_restarted_in_vain_for_half_an_hour_fails_and_its_part_goes(queued, eager):
    part = died_while_building(queued, seconds_ago=90)
    AuditExport.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    assert resume_lost_exports() == {"restarted": 0, "failed": 1, "parts": 1}
    queued.refresh_from_db()
    assert queued.status == ExportStatus.FAILED and not part.exists()
