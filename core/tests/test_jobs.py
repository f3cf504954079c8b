"""The generated-file state machine (core.jobs), exercised through one concrete model: the
certificate ZIP. What a user would notice: a ZIP is built once however often its task arrives,
one whose worker died is built again, and an expired one's file is really gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import BulkExport
from core.jobs import JobStatus, expire_generated_files, job_payload
from organizations.tests.factories import UserFactory


@pytest.fixture
def export(tree, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return BulkExport.objects.create(requested_by=UserFactory(), unit=tree["a"], year=2026)


def status(export) -> str:
    return BulkExport.objects.values_list("status", flat=True).get(pk=export.pk)


def test_of_two_claims_one_wins(export):
    assert BulkExport.claim(export.pk) is True
    assert BulkExport.claim(export.pk) is False  # the second delivery of the task does nothing
    assert status(export) == JobStatus.RUNNING


def test_a_build_whose_heartbeat_stopped_can_be_claimed_again(export, settings):
    assert BulkExport.claim(export.pk)
    BulkExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS - 5)
    )
    assert BulkExport.claim(export.pk) is False  # its worker is still alive
    BulkExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
    )
    assert BulkExport.claim(export.pk) is True  # its worker died
    assert BulkExport.objects.get(pk=export.pk).heartbeat_at > timezone.now() - timedelta(seconds=5)


def test_a_finished_or_failed_job_is_not_claimed_and_a_built_file_is_not_failed(export):
    assert BulkExport.claim(export.pk)
    assert BulkExport.finish(export.pk, "exports/x.zip")
    assert BulkExport.claim(export.pk) is False
    assert BulkExport.fail(export.pk, "late error") is False
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == (JobStatus.DONE, 100, "")


def test_progress_is_clamped_and_only_recorded_while_running(export):
    assert BulkExport.mark_progress(export.pk, 40) is False  # still waiting
    BulkExport.claim(export.pk)
    BulkExport.mark_progress(export.pk, 150)
    assert BulkExport.objects.get(pk=export.pk).progress == 100
    BulkExport.mark_progress(export.pk, -3)
    assert BulkExport.objects.get(pk=export.pk).progress == 0
    assert job_payload(BulkExport.objects.get(pk=export.pk))["progress"] == 0


def test_expiring_deletes_the_file_and_the_download_is_no_longer_offered(export, settings):
    settings.GENERATED_FILE_RETENTION_DAYS = 7
    folder = BulkExport.files_folder()
    folder.mkdir(parents=True)
    (folder / "certificates-000001.zip").write_bytes(b"PK zip")
    BulkExport.claim(export.pk)
    BulkExport.finish(export.pk, "exports/certificates-000001.zip")
    export.refresh_from_db()
    assert export.has_file
    assert job_payload(export, download_url="/d/")["download_url"] == "/d/"

    assert expire_generated_files(BulkExport) == 0  # not old yet
    later = timezone.now() + timedelta(days=8)
    assert expire_generated_files(BulkExport, now=later) == 1
    export.refresh_from_db()
    assert export.status == JobStatus.EXPIRED and not export.has_file
    assert not (folder / "certificates-000001.zip").exists()
    assert job_payload(export, download_url="/d/")["download_url"] == ""
    assert expire_generated_files(BulkExport, now=later) == 0  # idempotent
