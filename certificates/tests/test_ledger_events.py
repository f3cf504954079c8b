"""What the training ledger's corrections and voids do to certificates."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates import issuing, numbering, services
from certificates.models import Certificate, IssuerCounter
from certificates.tasks import issue_certificate_for_record
from training.classes.services import record_attendance, remove_attendance
from training.ledger.services import correct_record, void_record
from training.models import TrainingRecord

from .conftest import pass_course


@pytest.fixture
def corrected(issued, auditor, django_capture_on_commit_callbacks):
    """``issued``'s record corrected (hours fixed), through the ledger events; returns the new record."""
    with django_capture_on_commit_callbacks(execute=True):
        return correct_record(record=issued.record, by=auditor, reason="Sai số giờ", hours=Decimal("12"))


def test_a_correction_reissues_the_certificate_and_supersedes_the_old_one(issued, corrected):
    old_bytes = (services.private_root() / issued.pdf_path).read_bytes()
    new = corrected.certificates.get()
    issued.refresh_from_db()
    assert issued.status == "superseded"
    assert issued.superseded_by == new and new.supersedes == issued
    assert new.status == "valid" and new.hours == 12
    assert new.reissue_reason == "Sai số giờ"
    assert (new.number, new.verification_code) != (issued.number, issued.verification_code)
    # The old certificate's PDF is untouched, and only one certificate of the training is valid.
    assert (services.private_root() / issued.pdf_path).read_bytes() == old_bytes
    assert [c.pk for c in Certificate.objects.all() if c.status == "valid"] == [new.pk]


def test_the_correction_event_seen_twice_makes_one_certificate_and_one_supersede(issued, corrected):
    new = corrected.certificates.get()
    issued.refresh_from_db()
    superseded_at = issued.superseded_at
    assert issuing.issue_certificate(record=corrected) == (new, False)
    assert issue_certificate_for_record.apply(args=[corrected.pk]).get() == new.pk
    assert Certificate.objects.count() == 2
    issued.refresh_from_db()
    assert issued.superseded_at == superseded_at
    assert IssuerCounter.objects.get(issuer_code=new.issuer_code).last_number == 2


def test_verify_says_the_corrected_records_certificate_was_replaced_with_a_link(client, issued, corrected):
    new = corrected.certificates.get()
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "Đã được thay thế" in html
    assert "bằng giấy chứng nhận đã đính chính" in html
    assert f"/verify/{new.verification_code_display}/" in html
    assert "Giấy chứng nhận này là thật và còn hiệu lực" not in html
    html = client.get(f"/verify/{new.verification_code}/").content.decode()
    assert "Giấy chứng nhận này là thật và còn hiệu lực" in html


def test_a_failed_correction_issue_leaves_the_old_certificate_valid(issued, auditor, monkeypatch):
    fixed = correct_record(
        record=issued.record, by=auditor, reason="Sai ngày", completed_on=date(2026, 3, 13)
    )

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(numbering, "next_number", broken)
    with pytest.raises(RuntimeError):
        issuing.issue_certificate(record=fixed)
    issued.refresh_from_db()
    assert issued.status == "valid" and issued.superseded_at is None  # same transaction as the issue
    monkeypatch.undo()
    new, created = issuing.issue_certificate(record=fixed)
    issued.refresh_from_db()
    assert created and issued.superseded_by == new


def test_correcting_a_record_whose_certificate_was_revoked_leaves_it_revoked(
    issued, auditor, django_capture_on_commit_callbacks
):
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    with django_capture_on_commit_callbacks(execute=True):
        fixed = correct_record(record=issued.record, by=auditor, reason="Sai số giờ", hours=Decimal("6"))
    issued.refresh_from_db()
    assert issued.status == "revoked" and issued.superseded_at is None
    assert fixed.certificates.get().supersedes is None


def test_voiding_a_record_revokes_its_certificate_with_the_reason_and_user(client, issued, manager_a):
    void_record(record=issued.record, by=manager_a, reason="Ghi nhầm người")
    issued.refresh_from_db()
    assert issued.status == "revoked"
    assert (issued.revoked_by, issued.revocation_reason) == (manager_a, "Ghi nhầm người")
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "Đã thu hồi" in html
    day = timezone.localdate(issued.revoked_at).strftime("%d/%m/%Y")
    assert f"đã bị thu hồi ngày {day} và không còn hiệu lực" in html
    assert "Ghi nhầm người" not in html


def test_voiding_twice_revokes_once_with_the_first_reason(issued, auditor):
    void_record(record=issued.record, by=auditor, reason="Ghi nhầm người")
    void_record(record=issued.record, by=auditor, reason="Lý do khác")
    issued.refresh_from_db()
    assert issued.revocation_reason == "Ghi nhầm người"


def test_voiding_revokes_the_current_certificate_after_a_reissue(
    issued, auditor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sai chính tả tên")
    void_record(record=issued.record, by=auditor, reason="Không tham dự")
    new.refresh_from_db()
    issued.refresh_from_db()
    assert new.status == "revoked"
    assert issued.status == "superseded" and issued.revoked_at is None


def test_a_void_whose_revocation_fails_is_not_recorded(issued, auditor, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(issuing, "revoke_certificate", broken)
    with pytest.raises(RuntimeError):
        void_record(record=issued.record, by=auditor, reason="Ghi nhầm người")
    assert TrainingRecord.objects.get(pk=issued.record_id).voided_at is None
    issued.refresh_from_db()
    assert issued.status == "valid"


def test_a_void_that_lands_while_the_certificate_is_issued_rolls_the_issue_back(learner_officer, auditor):
    record = pass_course(learner_officer)  # its issue event is not delivered yet
    stale = TrainingRecord.objects.get(pk=record.pk)
    void_record(record=record, by=auditor, reason="Ghi nhầm người")
    assert issuing.issue_certificate(record=stale) == (None, False)
    assert not Certificate.objects.exists()
    assert not IssuerCounter.objects.filter(last_number__gt=0).exists()  # the number was given back


def test_taking_an_officer_off_a_class_list_revokes_their_certificate(
    tree, learner_officer, manager_a, eager_tasks, django_capture_on_commit_callbacks
):
    from training.tests.class_factories import InPersonClassFactory

    course = InPersonClassFactory(
        organising_unit=tree["a"],
        start_date=date(2026, 4, 6),
        end_date=date(2026, 4, 8),
        grants_certificate=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (record,) = record_attendance(
            in_person_class=course, officers=[learner_officer], today=date(2026, 4, 8)
        )
    remove_attendance(record=record, by=manager_a, reason="Vắng mặt, ký nhầm")
    certificate = record.certificates.get()
    assert certificate.status == "revoked"
    assert (certificate.revoked_by, certificate.revocation_reason) == (manager_a, "Vắng mặt, ký nhầm")
