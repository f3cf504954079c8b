"""A real Celery worker killed mid-render; the next worker renders the PDF, exactly once."""

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from certificates import issuing, rendering, services
from certificates.models import Certificate
from lms.testing.servers import celery_worker, mails_in, wait_for

from .conftest import pass_course

SITE_URL = "https://hoctap.example.vn"


@pytest.fixture
def private_media(settings):
    # The worker process reads the project's settings, so share its private folder.
    settings.PRIVATE_MEDIA_ROOT = django_settings.PRIVATE_MEDIA_ROOT
    settings.SITE_URL = SITE_URL
    return settings.PRIVATE_MEDIA_ROOT


def pdf_files(certificate):
    folder = services.private_root() / services.CERTIFICATE_DIR / str(certificate.year)
    return sorted(p.name for p in folder.glob(f"*{certificate.pk:08d}-{certificate.file_key}*"))


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_loses_nothing(learner_officer, tmp_path):
    started = tmp_path / "render-started"
    slow = {
        rendering.SLOW_RENDER_ENV: "120",
        rendering.RENDER_STARTED_ENV: str(started),
        "SITE_URL": SITE_URL,
    }
    with celery_worker(slow) as worker:
        record = pass_course(learner_officer)  # commits: the ledger event issues, the render is queued
        certificate = Certificate.objects.get(record=record)
        wait_for(started.exists, 60, "the first worker to start rendering")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    certificate.refresh_from_db()
    assert certificate.pdf_sha256 == ""
    assert pdf_files(certificate) == []
    # The embedded broker dropped the message when the killed worker took it. Some minutes
    # later a starting worker's sweep finds the certificate still without a PDF.
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(seconds=services.STALE_RENDER_SECONDS + 1)
    )

    with celery_worker({"SITE_URL": SITE_URL}):
        wait_for(
            lambda: Certificate.objects.filter(pk=certificate.pk).exclude(pdf_sha256="").exists(),
            90,
            "the next worker to render the PDF",
        )
        time.sleep(1)  # let a duplicate render, if one were queued, finish too
    certificate.refresh_from_db()
    assert pdf_files(certificate) == [Path(certificate.pdf_path).name]
    assert services._sha256_file(services.private_root() / certificate.pdf_path) == certificate.pdf_sha256
    assert certificate.notified_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_a_render_that_keeps_failing_then_marks_it_failed_and_tells_the_auditors(
    learner_officer, auditor, tmp_path
):
    import email.header

    from wagtail.images.models import Image

    from certificates.tests import worker_settings
    from demo.certificates import images as demo_images

    seal = Image.objects.create(title="Con dấu", file=demo_images.seal_png())
    template = issuing.default_template()
    template.seal_image = seal
    template.save()
    seal.file.storage.delete(seal.file.name)  # the seal is gone: every render of this template fails
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": worker_settings.__name__,
        "LMS_TEST_MAIL_DIR": str(mail_dir),
        "SITE_URL": SITE_URL,
    }
    with celery_worker(env):
        certificate = Certificate.objects.get(record=pass_course(learner_officer))
        wait_for(
            lambda: Certificate.objects.filter(pk=certificate.pk, render_failed_at__isnull=False).exists(),
            90,
            "the worker to give up after its retry",
        )
        wait_for(lambda: any(mail_dir.iterdir()), 30, "the auditors' e-mail")
        time.sleep(1)  # a second failure mail, if one were sent, would land now

    certificate.refresh_from_db()
    assert certificate.status == "failed"
    assert "Con dấu" in certificate.render_error
    assert pdf_files(certificate) == []
    assert certificate.notified_at is None  # the learner was not told it is ready
    [message] = mails_in(mail_dir)  # one mail, however many retries
    assert message["To"] == auditor.email
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))) == (
        f"Giấy chứng nhận {certificate.number_display} chưa tạo được"
    )
