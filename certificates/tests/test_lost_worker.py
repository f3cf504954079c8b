"""A worker killed with -9 (its whole process group) while 20 certificates render and a ZIP is
being built. A new worker heals everything within two minutes: each certificate rendered exactly
once, the ZIP built again from the start, no part file left behind."""

import email.header
import os
import signal
import time
import zipfile
from collections import Counter

import pytest

from certificates import rendering, services
from certificates.models import BulkExport, BulkExportStatus, Certificate
from lms.testing.servers import celery_worker, mails_in, wait_for

from .conftest import pass_course, tasks_run_eagerly

pytestmark = pytest.mark.worker

SITE_URL = "https://hoctap.example.vn"


def pdf_files(certificate) -> list[str]:
    folder = services.private_root() / services.CERTIFICATE_DIR / str(certificate.year)
    return sorted(p.name for p in folder.glob(f"*{certificate.pk:08d}-{certificate.file_key}*"))


def part_files(export: BulkExport, certificates) -> list[str]:
    root = services.private_root()
    parts = [
        p.name for p in (root / services.BULK_EXPORT_DIR).glob(f".certificates-{export.pk:06d}.zip.*.part")
    ]
    for certificate in certificates:
        folder = root / services.CERTIFICATE_DIR / str(certificate.year)
        parts += [p.name for p in folder.glob(f".*{certificate.pk:08d}-{certificate.file_key}*.part")]
    return parts


@pytest.mark.django_db(transaction=True)
def test_a_worker_group_killed_mid_work_heals_within_two_minutes(
    learner_officer, auditor, tree, tmp_path, settings
):
    # The worker's files (its settings follow LMS_VAR_DIR) are the test's.
    var = tmp_path / "var"
    settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT = var / "private", var / "media"
    settings.SITE_URL = SITE_URL
    # Ten certificates already rendered, for the ZIP.
    with tasks_run_eagerly(propagate=True):
        for number in range(10):
            pass_course(learner_officer, title=f"Khoá học đã có chứng nhận {number}")
    assert Certificate.objects.exclude(pdf_sha256="").count() == 10
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "certificates.tests.slow_zip_worker_settings",
        "LMS_TEST_MAIL_DIR": str(mail_dir),
        "LMS_VAR_DIR": str(var),
        "SITE_URL": SITE_URL,
        rendering.SLOW_RENDER_ENV: "0.5",
        # Heartbeats every second, a job is lost after 3 s, the sweeps run every 2 s.
        "JOB_HEARTBEAT_SECONDS": "1",
        "JOB_STALE_SECONDS": "3",
        "JOB_SWEEP_SECONDS": "2",
    }

    with celery_worker(env, concurrency=2, beat=True) as worker:
        export = services.request_bulk_export(user=auditor, unit=tree["city"], year=2026)
        records = [pass_course(learner_officer, title=f"Khoá học mới {number}") for number in range(20)]
        fresh = Certificate.objects.filter(record__in=records)
        wait_for(lambda: fresh.count() == 20, 60, "the 20 certificates to be issued")
        wait_for(
            lambda: (
                BulkExport.objects.filter(pk=export.pk, status=BulkExportStatus.RUNNING).exists()
                and part_files(export, [])
                and fresh.exclude(pdf_sha256="").count() >= 2
            ),
            60,
            "the ZIP to be under way and a few certificates rendered",
            state=lambda: (
                BulkExport.objects.values_list("status", "total", "done", "error").get(pk=export.pk),
                fresh.exclude(pdf_sha256="").count(),
            ),
        )
        os.killpg(worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        worker.wait(timeout=10)

    export.refresh_from_db()
    rendered_before = fresh.exclude(pdf_sha256="").count()
    # Killed mid-build, its part file left behind, renders still to do: the scenario happened.
    assert export.status == BulkExportStatus.RUNNING and part_files(export, [])
    assert rendered_before < 20

    with celery_worker(env, concurrency=2, beat=True) as worker:
        wait_for(
            lambda: (
                fresh.filter(pdf_sha256="").count() == 0
                and BulkExport.objects.filter(pk=export.pk, status=BulkExportStatus.DONE).exists()
            ),
            max(1, 120 - (time.monotonic() - killed_at)),
            "every certificate and the ZIP, within 2 minutes of the kill",
        )
        healed_in = time.monotonic() - killed_at
        time.sleep(2)  # a duplicate render or mail, if one were queued, would land now
        assert worker.poll() is None

    certificates = list(Certificate.objects.all())
    assert len(certificates) == 30
    for certificate in certificates:
        # Rendered exactly once: one PDF file, the one its hash names.
        assert pdf_files(certificate) == [os.path.basename(certificate.pdf_path)]
        assert services._sha256_file(services.private_root() / certificate.pdf_path) == certificate.pdf_sha256
    export.refresh_from_db()
    with zipfile.ZipFile(services.private_root() / export.file_path) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)) == export.total >= 10
        hashes = {certificate.pdf_sha256 for certificate in certificates}
        import hashlib

        assert all(hashlib.sha256(archive.read(name)).hexdigest() in hashes for name in names)
    assert part_files(export, certificates) == []
    # The learner is told once per certificate, never twice.
    subjects = Counter(
        str(email.header.make_header(email.header.decode_header(message["Subject"])))
        for message in mails_in(mail_dir)
    )
    assert subjects and max(subjects.values()) == 1
    print(f"healed {20 - rendered_before} renders and the ZIP in {healed_in:.1f} s after the kill")
