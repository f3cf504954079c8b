"""Certificate ZIPs are deleted after GENERATED_FILE_RETENTION_DAYS; their page then says so."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import BulkExport, BulkExportStatus

from .test_bulk import build, rendered  # noqa: F401  (fixture)


@pytest.fixture
def zips(tree, rendered, settings, manager_a):  # noqa: F811
    """Two ZIPs of district A by its manager: one built 8 days ago, one yesterday."""
    settings.GENERATED_FILE_RETENTION_DAYS = 7
    rendered(1)
    old, _ = build(tree["a"], 2026)
    recent, _ = build(tree["a"], 2026)
    BulkExport.objects.filter(pk__in=[old.pk, recent.pk]).update(requested_by=manager_a)
    now = timezone.now()
    BulkExport.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=8))
    BulkExport.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=1))
    return old, recent


def aged(path, days):
    stamp = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_the_nightly_task_deletes_old_zips_only_and_is_idempotent(zips):
    old, recent = zips
    folder = services.private_root() / services.BULK_EXPORT_DIR
    crashed = folder / ".certificates-000099.zip.abc.part"
    crashed.write_bytes(b"half a zip")
    aged(crashed, 9)
    building = folder / ".certificates-000100.zip.def.part"
    building.write_bytes(b"being written now")
    stalled = BulkExport.objects.create(requested_by=old.requested_by, unit=old.unit, year=2026)
    BulkExport.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert tasks.expire_bulk_exports() == 2

    old.refresh_from_db()
    recent.refresh_from_db()
    stalled.refresh_from_db()
    assert (old.status, recent.status, stalled.status) == ("expired", "done", "expired")
    assert not (services.private_root() / old.file_path).exists()
    assert (services.private_root() / recent.file_path).exists()
    assert not crashed.exists() and building.exists()
    # A second run finds nothing more to do and keeps the recent ZIP.
    assert tasks.expire_bulk_exports() == 0
    assert (services.private_root() / recent.file_path).exists()
    assert BulkExport.objects.filter(status=BulkExportStatus.EXPIRED).count() == 2


def test_an_expired_zip_says_so_and_offers_a_new_one(client, zips, manager_a):
    old, recent = zips
    tasks.expire_bulk_exports()
    client.force_login(manager_a)
    detail = reverse("certificates:bulk_detail", args=[old.pk])
    html = client.get(detail).content.decode()
    assert "ZIP được giữ 7 ngày" in html and "Tạo tệp ZIP mới" in html
    assert "job-progress.js" not in html
    status = client.get(reverse("certificates:bulk_status", args=[old.pk])).json()
    assert (status["status"], status["download_url"]) == ("expired", "")
    response = client.get(reverse("certificates:bulk_download", args=[old.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Tệp ZIP này đã hết hạn" in response.content.decode()
    assert "(Đã hết hạn)" in client.get(reverse("certificates:bulk")).content.decode()
    # The recent one still downloads.
    assert client.get(reverse("certificates:bulk_download", args=[recent.pk])).status_code == 200


def test_a_ready_zip_whose_file_is_gone_is_treated_as_expired(client, zips, manager_a):
    _old, recent = zips
    (services.private_root() / recent.file_path).unlink()
    client.force_login(manager_a)
    response = client.get(reverse("certificates:bulk_download", args=[recent.pk]))
    assert response["Location"] == reverse("certificates:bulk_detail", args=[recent.pk])
