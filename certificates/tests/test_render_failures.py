"""A render that fails: retried with backoff; after the last retry, a visible failed state
that the periodic sweep heals."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse

from certificates import issuing, rendering, services
from certificates.models import Certificate
from certificates.tasks import render_certificate_pdf

from .conftest import pass_course

FAILED_FOR_LEARNER = "Chưa tạo được giấy chứng nhận này; bộ phận phụ trách đã được báo"


@pytest.fixture
def flaky_renderer(monkeypatch):
    """Make the first ``state["failures"]`` renders raise; counts every attempt."""
    real = rendering.render_certificate
    state = {"failures": 0, "attempts": 0}

    def render(certificate, credential_jwt=""):
        state["attempts"] += 1
        if state["attempts"] <= state["failures"]:
            raise OSError("the font cache is locked")
        return real(certificate, credential_jwt)

    monkeypatch.setattr(rendering, "render_certificate", render)
    return state


@pytest.fixture
def unrendered(learner_officer):
    """Issued, not yet rendered (no worker here: its queued render never runs)."""
    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    return certificate


def stored_bytes(certificate) -> bytes:
    return (services.private_root() / certificate.pdf_path).read_bytes()


def test_a_render_that_fails_once_is_retried_and_then_succeeds(unrendered, flaky_renderer):
    flaky_renderer["failures"] = 1
    result = render_certificate_pdf.apply(args=[unrendered.pk])
    assert result.successful()
    assert flaky_renderer["attempts"] == 2
    certificate = Certificate.objects.get(pk=unrendered.pk)
    assert certificate.status == "valid"
    assert stored_bytes(certificate).startswith(b"%PDF")
    assert hashlib.sha256(stored_bytes(certificate)).hexdigest() == certificate.pdf_sha256 == result.get()
    assert certificate.render_failed_at is None
    assert len(mail.outbox) == 1


def test_after_the_last_retry_the_certificate_shows_as_failed_until_the_sweep_heals_it(
    client, learner, auditor, unrendered, flaky_renderer, eager_without_propagation, settings
):
    settings.CERTIFICATE_FAILED_RENDER_RETRY_SECONDS = 0  # every run of the sweep, not every 10 min
    flaky_renderer["failures"] = 1000
    result = render_certificate_pdf.apply(args=[unrendered.pk])
    assert result.failed()
    assert flaky_renderer["attempts"] == render_certificate_pdf.max_retries + 1
    certificate = Certificate.objects.get(pk=unrendered.pk)
    assert certificate.status == "failed"
    assert certificate.get_status_display() == "Chưa tạo được"
    assert certificate.render_failed_at is not None
    assert "OSError: the font cache is locked" in certificate.render_error
    # The department's auditors are told once, with the reason and a link to the certificate.
    [told] = mail.outbox
    assert told.to == ["auditor@example.vn"]
    assert told.subject == f"Giấy chứng nhận {certificate.number_display} chưa tạo được"
    assert "OSError: the font cache is locked" in told.body
    assert reverse("certificates:manage", args=[certificate.pk]) in told.body

    # The learner is told plainly, and the page stops waiting for it.
    client.force_login(learner)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert FAILED_FOR_LEARNER in html
    assert "Đang chuẩn bị" not in html
    assert "job-progress.js" not in html
    assert client.get(reverse("certificates:status")).json()["preparing"] == 0
    assert certificate.verification_code not in html  # no verification link for a certificate without a PDF

    # Operators see it in the register, and the reason on the certificate's page.
    client.force_login(auditor)
    html = client.get(reverse("certificates:register")).content.decode()
    assert "1 giấy chứng nhận chưa tạo được" in html
    assert "Chưa tạo được" in html
    html = client.get(reverse("certificates:register") + "?failed=1").content.decode()
    assert certificate.number_display in html
    html = client.get(reverse("certificates:manage", args=[certificate.pk])).content.decode()
    assert "OSError: the font cache is locked" in html

    # The outage goes on: the sweep's next run gives it one attempt (not another chain of
    # retries) and it stays failed, marked again.
    attempts = flaky_renderer["attempts"]
    assert services.render_missing_pdfs() == 1
    assert flaky_renderer["attempts"] == attempts + 1
    again = Certificate.objects.get(pk=certificate.pk)
    assert again.status == "failed" and again.render_failed_at > certificate.render_failed_at
    assert len(mail.outbox) == 1  # the same outage is not news twice

    # The outage is over: the sweep's next run renders it, clears the failure and mails the learner.
    flaky_renderer["failures"] = 0
    assert services.render_missing_pdfs() == 1
    healed = Certificate.objects.get(pk=certificate.pk)
    assert healed.status == "valid"
    assert (healed.render_failed_at, healed.render_error) == (None, "")
    assert hashlib.sha256(stored_bytes(healed)).hexdigest() == healed.pdf_sha256
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [healed.officer.user.email]
    assert services.render_missing_pdfs() == 0
    client.force_login(auditor)
    html = client.get(reverse("certificates:register")).content.decode()
    assert "giấy chứng nhận chưa tạo được" not in html


def test_the_sweep_tries_a_failed_certificate_again_every_ten_minutes_not_every_run(
    unrendered, flaky_renderer, eager_without_propagation
):
    from datetime import timedelta

    from django.utils import timezone

    flaky_renderer["failures"] = 1000
    render_certificate_pdf.apply(args=[unrendered.pk])
    attempts = flaky_renderer["attempts"]
    assert services.render_missing_pdfs() == 0  # failed a moment ago: the sweep (every minute) waits
    assert flaky_renderer["attempts"] == attempts
    Certificate.objects.filter(pk=unrendered.pk).update(
        render_failed_at=timezone.now() - timedelta(minutes=11)
    )
    flaky_renderer["failures"] = 0
    assert services.render_missing_pdfs() == 1
    assert Certificate.objects.get(pk=unrendered.pk).status == "valid"


def test_a_certificate_whose_pdf_exists_is_never_marked_failed(unrendered, settings):
    # Rendering worked but the mail server is down: the notice waits in the notifications layer.
    settings.EMAIL_BACKEND = "notifications.tests.mail_backends.DownBackend"
    result = render_certificate_pdf.apply(args=[unrendered.pk])
    assert result.successful()
    certificate = Certificate.objects.get(pk=unrendered.pk)
    assert certificate.status == "valid"
    assert certificate.render_failed_at is None
    from notifications.models import Message

    # Handed to the layer, which retries it with a backoff (the learner is told once it is back).
    (notice,) = Message.objects.filter(kind="certificate_ready")
    assert notice.state == "queued" and "Connection refused" in notice.error
    assert certificate.notified_at is not None


def _delete(image):
    image.file.storage.delete(image.file.name)  # e.g. MEDIA_ROOT not shared with this worker


def _damage(image):
    with open(image.file.path, "r+b") as file:  # e.g. a disk error, or a half-copied file
        file.seek(64)
        file.truncate()


@pytest.mark.parametrize("spoil", [_delete, _damage], ids=["deleted", "damaged"])
def test_a_template_image_this_worker_cannot_read_fails_the_render_instead_of_leaving_it_out(
    learner_officer, eager_without_propagation, spoil
):
    from wagtail.images.models import Image

    from demo.certificates import images as demo_images

    seal = Image.objects.create(title="Con dấu", file=demo_images.seal_png())
    template = issuing.default_template()
    template.seal_image = seal
    template.save()
    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    spoil(seal)

    with pytest.raises(rendering.TemplateImageMissing, match="Con dấu"):
        rendering.render_certificate(certificate)
    assert render_certificate_pdf.apply(args=[certificate.pk]).failed()
    certificate.refresh_from_db()
    assert certificate.status == "failed" and "Con dấu" in certificate.render_error


def test_a_failed_render_is_marked_even_when_no_auditor_can_be_mailed(unrendered, auditor, settings):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.UnreachableBackend"
    assert services.record_render_failure(unrendered.pk, OSError("disk full"))
    assert Certificate.objects.get(pk=unrendered.pk).status == "failed"
    # The notice is not lost: it is listed on "Tin đã gửi" as failed, with the server's answer.
    from notifications.models import Message

    (notice,) = Message.objects.filter(kind="certificate_failed")
    assert notice.state == "failed" and "SMTPRecipientsRefused" in notice.error

    auditor.groups.clear()
    other, _ = issuing.issue_certificate(record=pass_course(unrendered.officer))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.record_render_failure(other.pk, OSError("disk full"))
    assert services.tell_auditors_of_failed_render(other.pk) == 0
    assert mail.outbox == []
