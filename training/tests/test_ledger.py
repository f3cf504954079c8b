from datetime import date

import pytest
from wagtail.models import Page

from organizations.tests.factories import OfficerFactory
from training.ledger.services import record_course_completion, void_record
from training.ledger.signals import training_recorded
from training.models import TrainingRecord


@pytest.fixture
def course(db):
    return Page.objects.get(depth=2)  # any page stands in for a course here


def test_course_completion_recorded_once_per_year(tree, course, django_capture_on_commit_callbacks):
    officer = OfficerFactory(unit=tree["ga"])
    seen = []
    training_recorded.connect(
        lambda sender, record_id, **kw: seen.append(record_id), weak=False, dispatch_uid="test-seen"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first, created = record_course_completion(
                officer=officer, course=course, completed_on=date(2026, 3, 1), hours=4, score=87.5
            )
            again, created_again = record_course_completion(
                officer=officer, course=course, completed_on=date(2026, 5, 1)
            )
    finally:
        training_recorded.disconnect(dispatch_uid="test-seen")
    assert created and not created_again and first == again
    assert TrainingRecord.objects.count() == 1
    assert seen == [first.pk]
    assert first.year == 2026 and first.title == course.title


def test_next_year_is_a_new_record(tree, course):
    officer = OfficerFactory(unit=tree["ga"])
    record_course_completion(officer=officer, course=course, completed_on=date(2025, 12, 31))
    _record, created = record_course_completion(officer=officer, course=course, completed_on=date(2026, 1, 1))
    assert created
    assert sorted(TrainingRecord.objects.values_list("year", flat=True)) == [2025, 2026]


def test_voided_record_stays_and_stops_counting(tree, course, auditor):
    officer = OfficerFactory(unit=tree["ga"])
    record, _ = record_course_completion(officer=officer, course=course, completed_on=date(2026, 3, 1))
    with pytest.raises(ValueError):
        void_record(record=record, by=auditor, reason="  ")
    void_record(record=record, by=auditor, reason="Ghi nhầm người")
    assert TrainingRecord.objects.count() == 1
    assert TrainingRecord.objects.qualifying().count() == 0
    # After a void the course can be recorded again.
    _again, created = record_course_completion(officer=officer, course=course, completed_on=date(2026, 3, 2))
    assert created


def test_a_saved_record_cannot_be_rewritten_only_voided(tree, course, auditor):
    from decimal import Decimal

    from django.db import transaction

    from organizations.tests.factories import UserFactory
    from training.ledger.services import correct_record
    from training.models import LedgerRewriteError

    officer = OfficerFactory(unit=tree["ga"])
    clerk = UserFactory()
    record, _ = record_course_completion(
        officer=officer, course=course, completed_on=date(2026, 3, 1), hours=4, recorded_by=clerk
    )

    record.hours = Decimal("40")
    with pytest.raises(LedgerRewriteError, match="hours"):
        record.save()
    record.refresh_from_db()
    record.completed_on = date(2025, 12, 31)
    with pytest.raises(LedgerRewriteError, match="completed_on"):
        record.save(update_fields=["completed_on", "year"])
    with pytest.raises(LedgerRewriteError):
        TrainingRecord.objects.filter(pk=record.pk).update(counts_toward_requirement=False)
    with pytest.raises(LedgerRewriteError), transaction.atomic():
        TrainingRecord.objects.bulk_update([record], ["completed_on"])
    stored = TrainingRecord.objects.get(pk=record.pk)
    assert (stored.hours, stored.completed_on, stored.year) == (Decimal("4.0"), date(2026, 3, 1), 2026)
    assert stored.counts_toward_requirement

    # The legitimate flows still work: a correction (a new row), voiding once, a deleted account.
    corrected = correct_record(record=stored, by=auditor, reason="Sai số giờ", hours=Decimal("8"))
    assert corrected.hours == 8 and corrected.corrects_id == stored.pk
    stored.refresh_from_db()
    assert stored.is_void and stored.void_reason == "Sai số giờ"
    stored.void_reason = "Lý do khác"
    with pytest.raises(LedgerRewriteError, match="already void"):
        stored.save(update_fields=["void_reason"])
    assert void_record(record=stored, by=auditor, reason="Lần nữa").void_reason == "Sai số giờ"
    clerk.delete()
    stored.refresh_from_db()
    assert stored.recorded_by is None and stored.hours == 4


def test_a_record_cannot_be_deleted_in_any_way(tree, course, auditor):
    """Append-only: a record stays, also when asked to go one by one, in bulk, or by cascade.
    Its officer (and the record it corrects) cannot be deleted from under it either."""
    from django.db import transaction
    from django.db.models import ProtectedError
    from django.db.models.deletion import Collector

    from training.ledger.services import correct_record
    from training.models import LedgerRewriteError

    officer = OfficerFactory(unit=tree["ga"])
    record, _ = record_course_completion(officer=officer, course=course, completed_on=date(2026, 3, 1))

    with pytest.raises(LedgerRewriteError, match="cannot be deleted"):
        record.delete()
    with pytest.raises(LedgerRewriteError, match="cannot be deleted"):
        TrainingRecord.objects.filter(officer=officer).delete()
    with pytest.raises(LedgerRewriteError, match="cannot be deleted"):
        TrainingRecord.objects.all().delete()
    # The deletion collector (what a cascade from another model runs) is refused as well.
    collector = Collector(using="default")
    collector.collect([record])
    with pytest.raises(LedgerRewriteError, match="cannot be deleted"), transaction.atomic():
        collector.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        officer.delete()

    corrected = correct_record(record=record, by=auditor, reason="Sai ngày", completed_on=date(2026, 3, 2))
    with pytest.raises(LedgerRewriteError), transaction.atomic():
        corrected.delete()
    assert TrainingRecord.objects.filter(officer=officer).count() == 2
    record.refresh_from_db()
    assert record.is_void and record.void_reason == "Sai ngày"
    assert TrainingRecord.objects.get(corrects=record).completed_on == date(2026, 3, 2)
