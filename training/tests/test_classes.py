"""Attendance at in-person classes becomes ledger records; corrections keep history."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from organizations.tests.factories import OfficerFactory
from training.models import RecordSource, TrainingKind, TrainingRecord
from training.services import correct_record, record_attendance, remove_attendance
from training.signals import training_recorded

from .class_factories import InPersonClassFactory


@pytest.fixture
def announced():
    seen = []
    training_recorded.connect(
        lambda sender, record_id, **kw: seen.append(record_id), weak=False, dispatch_uid="classes-seen"
    )
    yield seen
    training_recorded.disconnect(dispatch_uid="classes-seen")


def test_attendance_is_one_record_per_officer_and_is_announced(
    tree, manager_a, announced, django_capture_on_commit_callbacks
):
    klass = InPersonClassFactory(organising_unit=tree["a"], grants_certificate=True)
    an, binh = OfficerFactory(unit=tree["ga"]), OfficerFactory(unit=tree["ga"])
    with django_capture_on_commit_callbacks(execute=True):
        made = record_attendance(in_person_class=klass, officers=[an, binh, an], recorded_by=manager_a)
        again = record_attendance(in_person_class=klass, officers=[an], recorded_by=manager_a)
    assert len(made) == 2 and again == []
    assert sorted(announced) == sorted(r.pk for r in made)
    record = TrainingRecord.objects.get(officer=an)
    assert record.kind == TrainingKind.IN_PERSON_CLASS
    assert record.in_person_class == klass
    assert record.title == klass.title
    assert record.completed_on == date(2026, 3, 11) and record.year == 2026
    assert record.hours == Decimal("8.0")
    assert record.grants_certificate and record.counts_toward_requirement
    assert record.source == RecordSource.ATTENDANCE and record.recorded_by == manager_a


def test_database_refuses_a_second_valid_record_for_the_same_class(tree):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRecord.objects.create(
            officer=officer,
            kind=TrainingKind.IN_PERSON_CLASS,
            in_person_class=klass,
            title=klass.title,
            completed_on=klass.end_date,
            source=RecordSource.MANUAL,
        )
    assert record.pk


def test_a_class_that_does_not_count_produces_records_that_do_not_count(tree):
    klass = InPersonClassFactory(
        organising_unit=tree["a"], title="Sinh hoạt chuyên đề", counts_toward_requirement=False
    )
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    assert record.counts_toward_requirement is False
    assert not TrainingRecord.objects.qualifying().filter(officer=officer).exists()
    assert TrainingRecord.objects.valid().filter(officer=officer).count() == 1


def test_removing_attendance_voids_and_keeps_the_row(tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    with pytest.raises(ValueError):
        remove_attendance(record=record, by=manager_a, reason="")
    remove_attendance(record=record, by=manager_a, reason="Vắng mặt, ký nhầm")
    record.refresh_from_db()
    assert record.is_void and record.voided_by == manager_a and record.void_reason == "Vắng mặt, ký nhầm"
    assert TrainingRecord.objects.filter(officer=officer).count() == 1
    # Taken off by mistake: ticking again makes a new record beside the voided one.
    (again,) = record_attendance(in_person_class=klass, officers=[officer])
    assert again.pk != record.pk
    assert TrainingRecord.objects.filter(officer=officer).count() == 2


def test_correction_voids_the_old_record_and_points_at_it(
    tree, auditor, announced, django_capture_on_commit_callbacks
):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    with django_capture_on_commit_callbacks(execute=True):
        fixed = correct_record(
            record=record, by=auditor, reason="Lớp học 4 giờ, không phải 8", hours=Decimal("4")
        )
    record.refresh_from_db()
    assert record.is_void and record.void_reason == "Lớp học 4 giờ, không phải 8"
    assert fixed.corrects == record and fixed.source == RecordSource.CORRECTION
    assert fixed.recorded_by == auditor and fixed.hours == Decimal("4")
    assert fixed.in_person_class == klass and fixed.completed_on == record.completed_on
    assert announced == [fixed.pk]
    assert list(TrainingRecord.objects.valid().filter(officer=officer)) == [fixed]
    with pytest.raises(ValueError):
        correct_record(record=record, by=auditor, reason="lần nữa")  # already voided
    with pytest.raises(ValueError):
        correct_record(record=fixed, by=auditor, reason=" ")
    assert TrainingRecord.objects.filter(officer=officer).count() == 2


def test_correction_of_a_course_record_moves_its_date(tree, auditor):
    from wagtail.models import Page

    from training.services import record_course_completion

    officer = OfficerFactory(unit=tree["ga"])
    course = Page.objects.get(depth=2)
    record, _ = record_course_completion(officer=officer, course=course, completed_on=date(2026, 1, 2))
    fixed = correct_record(
        record=record, by=auditor, reason="Hoàn thành năm trước", completed_on=date(2025, 12, 30)
    )
    assert fixed.year == 2025 and fixed.course_id == course.pk
    assert TrainingRecord.objects.valid().for_year(2026).count() == 0


def test_class_cannot_end_before_it_starts(tree):
    from django.core.exceptions import ValidationError

    klass = InPersonClassFactory.build(
        organising_unit=tree["a"], start_date=date(2026, 3, 10), end_date=date(2026, 3, 9)
    )
    with pytest.raises(ValidationError):
        klass.full_clean()
