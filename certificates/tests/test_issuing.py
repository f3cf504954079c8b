"""Issuing, rendering once, notifying, reissuing and revoking."""

import hashlib
from datetime import date

import pytest
from django.core import mail

from certificates import issuing, services
from certificates.models import Certificate, CertificateTemplate
from certificates.tasks import render_certificate_pdf
from training.ledger.services import void_record

from .conftest import pass_course


def stored_pdfs():
    return sorted(p.name for p in (services.private_root() / "certificates").rglob("*") if p.is_file())


def test_a_certificate_granting_record_gets_one_rendered_certificate(issued):
    assert issued.status == "valid"
    assert issued.full_name == "Nguyễn Thị Mai"
    assert issued.unit_name == "CĐCS Công ty May Ba Đình"
    assert issued.date_of_birth == date(1992, 5, 14)
    assert issued.training_title == "Kỹ năng tuyên truyền miệng trong công nhân lao động"
    assert (issued.training_start, issued.training_end, issued.hours) == (
        date(2026, 3, 12),
        date(2026, 3, 12),
        8,
    )
    data = (services.private_root() / issued.pdf_path).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    assert stored_pdfs() == [f"{issued.pk:08d}-{issued.file_key}.pdf"]


def test_pdfs_are_stored_outside_the_public_media_folder(issued, settings):
    path = (services.private_root() / issued.pdf_path).resolve()
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert issued.verification_code not in issued.pdf_path


def test_issuing_and_rendering_twice_makes_one_certificate_and_one_file(issued):
    certificate, created = issuing.issue_certificate(record=issued.record)
    assert (certificate, created) == (issued, False)
    sha256 = render_certificate_pdf.apply(args=[issued.pk]).get()
    assert sha256 == issued.pdf_sha256
    services.render_and_store(issued.pk)
    assert Certificate.objects.count() == 1
    assert stored_pdfs() == [f"{issued.pk:08d}-{issued.file_key}.pdf"]
    issued.refresh_from_db()
    assert (
        hashlib.sha256((services.private_root() / issued.pdf_path).read_bytes()).hexdigest()
        == issued.pdf_sha256
    )


def test_a_file_left_by_a_killed_worker_is_adopted_not_rewritten(learner_officer):
    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    final = services.private_root() / services.pdf_relative_path(certificate)
    final.parent.mkdir(parents=True)
    final.write_bytes(b"%PDF-1.7 left by the previous worker")
    certificate = services.render_and_store(certificate.pk)
    assert final.read_bytes() == b"%PDF-1.7 left by the previous worker"
    assert certificate.pdf_sha256 == hashlib.sha256(final.read_bytes()).hexdigest()


def test_records_that_grant_no_certificate_or_are_void_get_none(learner_officer, auditor):
    assert issuing.issue_certificate(record=pass_course(learner_officer, grants=False)) == (None, False)
    record = pass_course(learner_officer, title="Pháp luật lao động")
    void_record(record=record, by=auditor, reason="Nhập nhầm")
    record.refresh_from_db()
    assert issuing.issue_certificate(record=record) == (None, False)
    assert Certificate.objects.count() == 0


def test_the_certificate_keeps_its_snapshot_when_the_roster_changes(issued, tree):
    officer = issued.officer
    officer.given_name = "Lan"
    officer.unit = tree["gb"]
    officer.save()
    issued.refresh_from_db()
    assert (issued.full_name, issued.unit_name) == ("Nguyễn Thị Mai", "CĐCS Công ty May Ba Đình")


def test_the_learner_is_emailed_once_with_a_link(issued):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learner@example.vn"]
    assert issued.number_display in message.subject
    assert "https://hoctap.example.vn/certificates/" in message.body
    assert issued.verification_url() in message.body
    assert services.notify_learner(issued.pk) is False
    assert len(mail.outbox) == 1


def test_reissue_supersedes_without_touching_the_old_pdf(issued, auditor, django_capture_on_commit_callbacks):
    old_path = services.private_root() / issued.pdf_path
    old_bytes = old_path.read_bytes()
    officer = issued.officer
    officer.given_name = "Mây"
    officer.save()
    CertificateTemplate.objects.update(signer_name="Nguyễn Văn A")
    with django_capture_on_commit_callbacks(execute=True):
        new = issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sai chính tả tên")
    new.refresh_from_db()
    issued.refresh_from_db()
    assert issued.status == "superseded"
    assert issued.superseded_by == new and new.supersedes == issued
    assert new.status == "valid"
    assert new.full_name == "Nguyễn Thị Mây"
    assert (new.number, new.verification_code) != (issued.number, issued.verification_code)
    assert new.number == issued.number + 1
    assert old_path.read_bytes() == old_bytes
    assert hashlib.sha256(old_bytes).hexdigest() == issued.pdf_sha256
    assert new.pdf_sha256 != issued.pdf_sha256
    with pytest.raises(ValueError):
        issuing.reissue_certificate(certificate=issued, by=auditor, reason="Lần nữa")
    with pytest.raises(ValueError):
        issuing.reissue_certificate(certificate=new, by=auditor, reason="   ")


def test_revocation_needs_a_reason_and_keeps_the_certificate(issued, auditor):
    with pytest.raises(ValueError):
        issuing.revoke_certificate(certificate=issued, by=auditor, reason=" ")
    revoked = issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    assert revoked.status == "revoked"
    assert revoked.revoked_by == auditor
    assert (services.private_root() / revoked.pdf_path).exists()
    with pytest.raises(issuing.CertificateAlreadyRevoked, match="đã bị thu hồi từ ngày"):
        issuing.revoke_certificate(certificate=issued, by=auditor, reason="Lý do khác")
    issued.refresh_from_db()
    assert issued.revocation_reason == "Hồ sơ không hợp lệ"


def test_a_task_for_a_certificate_that_no_longer_exists_does_nothing(db):
    assert render_certificate_pdf.apply(args=[999999]).get() == ""


def test_the_startup_sweep_requeues_only_certificates_left_without_a_pdf(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    fresh, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    stale, _ = issuing.issue_certificate(record=pass_course(learner_officer, title="Pháp luật công đoàn"))
    Certificate.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert services.render_missing_pdfs() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.is_ready and not fresh.is_ready


def test_the_issue_task_is_idempotent(issued):
    from certificates.tasks import issue_certificate_for_record

    assert issue_certificate_for_record.apply(args=[issued.record_id]).get() == issued.pk
    assert issue_certificate_for_record.apply(args=[999999]).get() is None
    assert Certificate.objects.count() == 1


def test_an_in_person_class_is_certified_by_its_organising_unit_with_its_dates(
    tree, learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    from training.classes.services import record_attendance
    from training.tests.class_factories import InPersonClassFactory

    course = InPersonClassFactory(
        title="Lớp bồi dưỡng báo cáo viên",
        organising_unit=tree["a"],
        start_date=date(2026, 4, 6),
        end_date=date(2026, 4, 8),
        hours=16,
        grants_certificate=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (record,) = record_attendance(in_person_class=course, officers=[learner_officer])
    certificate = record.certificates.get()
    assert (certificate.issuer_code, certificate.issuer_name) == ("Q-BD", "LĐLĐ quận Ba Đình")
    assert certificate.number_display == f"1/{certificate.year}/GCN-Q-BD"
    assert (certificate.training_start, certificate.training_end, certificate.hours) == (
        date(2026, 4, 6),
        date(2026, 4, 8),
        16,
    )
    assert certificate.is_ready


def test_no_ready_mail_for_a_certificate_revoked_before_its_pdf_was_ready(learner_officer, auditor):
    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    issuing.revoke_certificate(certificate=certificate, by=auditor, reason="Hồ sơ không hợp lệ")
    assert render_certificate_pdf.apply(args=[certificate.pk]).successful()
    certificate.refresh_from_db()
    assert certificate.pdf_sha256  # rendered all the same: the register keeps a revoked certificate's PDF
    assert certificate.status == "revoked"
    assert mail.outbox == []
    assert certificate.notified_at is None


def test_no_ready_mail_when_the_revocation_lands_while_the_pdf_is_rendered(
    learner_officer, auditor, monkeypatch
):
    from certificates import rendering

    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    real_render = rendering.render_certificate

    def render_while_an_auditor_revokes(instance, credential_jwt=""):
        pdf = real_render(instance, credential_jwt)
        issuing.revoke_certificate(certificate=instance, by=auditor, reason="Gian lận khi làm bài")
        return pdf

    monkeypatch.setattr(rendering, "render_certificate", render_while_an_auditor_revokes)
    assert render_certificate_pdf.apply(args=[certificate.pk]).successful()
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.pdf_sha256
    assert mail.outbox == []


def test_no_ready_mail_for_a_certificate_replaced_before_its_pdf_was_ready(learner_officer, auditor):
    old, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    new = issuing.reissue_certificate(certificate=old, by=auditor, reason="Sai chính tả tên")
    assert render_certificate_pdf.apply(args=[old.pk]).successful()
    assert mail.outbox == []
    assert render_certificate_pdf.apply(args=[new.pk]).successful()
    assert len(mail.outbox) == 1
    assert new.number_display in mail.outbox[0].subject


def test_a_revoked_certificate_cannot_be_reissued(issued, auditor):
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    with pytest.raises(ValueError, match="đã bị thu hồi"):
        issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sai chính tả tên")
    assert Certificate.objects.count() == 1
    issued.refresh_from_db()
    assert issued.status == "revoked" and issued.superseded_at is None


def test_the_certificate_of_a_voided_record_cannot_be_reissued(issued, auditor):
    from django.utils import timezone

    from training.models import TrainingRecord

    # A record voided before voids revoked certificates: its certificate is still unrevoked.
    TrainingRecord.objects.filter(pk=issued.record_id).update(
        voided_at=timezone.now(), voided_by=auditor, void_reason="Ghi nhầm người"
    )
    with pytest.raises(ValueError, match="đã bị hủy"):
        issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sai chính tả tên")
    assert Certificate.objects.count() == 1
    issued.refresh_from_db()
    assert issued.superseded_at is None


def test_the_sweep_issues_a_certificate_whose_issue_task_was_lost(learner_officer, eager_tasks, monkeypatch):
    """The record committed but its certificate was never issued (the task died with its worker):
    the sweep issues and renders it, once, but only a minute after the record was made."""
    from certificates.tasks import render_missing_pdfs

    lost = pass_course(learner_officer)  # no on-commit callbacks run: nothing was issued
    ungranted = pass_course(learner_officer, title="Sinh hoạt chuyên đề", grants=False)
    render_missing_pdfs.apply().get()
    assert not Certificate.objects.exists()  # recorded a moment ago: its own task may still run

    monkeypatch.setattr(services, "STALE_RENDER_SECONDS", 0)
    render_missing_pdfs.apply().get()
    render_missing_pdfs.apply().get()

    certificate = Certificate.objects.get()
    assert certificate.record_id == lost.pk and certificate.is_ready
    assert not ungranted.certificates.exists()
