"""Audit export files are deleted after GENERATED_FILE_RETENTION_DAYS; their page then says so."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from training import audit_services
from training.models import AuditExport, ExportStatus
from training.tasks import build_audit_export, expire_audit_exports

from .audit_helpers import YEAR
from .test_export import program09_fixture, roster  # noqa: F401  (fixtures)


@pytest.fixture
def jobs(client, auditor, roster, settings, tmp_path, django_capture_on_commit_callbacks):  # noqa: F811
    """Two large exports built by the task for the auditor: one 8 days ago, one yesterday."""
    settings.AUDIT_EXPORT_SYNC_ROWS = 1
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.GENERATED_FILE_RETENTION_DAYS = 7
    client.force_login(auditor)
    made = []
    for days in (8, 1):
        with django_capture_on_commit_callbacks(execute=False):
            client.get("/audit/export/officers.xlsx", {"year": YEAR})
        job = AuditExport.objects.latest("pk")
        build_audit_export(job.pk)
        AuditExport.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=days))
        job.refresh_from_db()
        made.append(job)
    return made


def aged(path, days):
    stamp = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_the_nightly_task_deletes_old_exports_only_and_is_idempotent(jobs, auditor):
    old, recent = jobs
    folder = audit_services.export_folder()
    assert (folder / old.file_path).exists() and (folder / recent.file_path).exists()
    crashed = folder / ".99-kiem-tra.xlsx.part"
    crashed.write_bytes(b"half a workbook")
    aged(crashed, 9)
    building = folder / ".100-kiem-tra.xlsx.part"
    building.write_bytes(b"being written now")
    lost = AuditExport.objects.create(requested_by=auditor, params=old.params, status=ExportStatus.RUNNING)
    AuditExport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert expire_audit_exports() == 2

    statuses = dict(AuditExport.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", recent.pk: "done", lost.pk: "expired"}
    assert not (folder / old.file_path).exists() and (folder / recent.file_path).exists()
    assert not crashed.exists() and building.exists()
    # Nothing more to do the next night; the recent file stays until its own time comes.
    assert expire_audit_exports() == 0
    assert (folder / recent.file_path).exists()
    assert audit_services.expire_exports(now=timezone.now() + timedelta(days=7)) == 1
    assert not (folder / recent.file_path).exists()


def test_an_expired_export_says_so_and_offers_a_new_one(client, jobs):
    old, recent = jobs
    expire_audit_exports()
    page = f"/audit/exports/{old.pk}/"
    html = client.get(page).content.decode()
    assert "Tệp xuất được giữ 7 ngày" in html and "Tạo tệp xuất mới" in html
    assert f'href="/audit/export/officers.xlsx?year={YEAR}&amp;status=untrained">Tạo tệp xuất mới' in html
    status = client.get(page, {"format": "json"}).json()
    assert (status["status"], status["download_url"]) == ("expired", "")
    response = client.get(f"{page}download/", follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert "Tệp xuất này đã hết hạn" in response.content.decode()
    assert client.get(f"/audit/exports/{recent.pk}/download/").status_code == 200


def test_a_ready_export_whose_file_is_gone_is_treated_as_expired(client, jobs):
    _old, recent = jobs
    (audit_services.export_folder() / recent.file_path).unlink()
    response = client.get(f"/audit/exports/{recent.pk}/download/")
    assert response.status_code == 302 and response["Location"] == f"/audit/exports/{recent.pk}/"
