"""The ledger history per officer (managers in scope, auditors) and a learner's own records."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.tests.factories import OfficerFactory, UserFactory
from training.classes.services import record_attendance
from training.ledger.services import correct_record, void_record
from training.models import RecordSource, TrainingRecord

from .class_factories import InPersonClassFactory


@pytest.fixture
def attended(tree):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    return record


def test_history_lists_voided_records_with_who_when_why(client, attended, auditor, manager_a):
    auditor.first_name, auditor.last_name = "Lan", "Phạm Thị"
    auditor.save()
    void_record(record=attended, by=auditor, reason="Ghi nhầm lớp")
    client.force_login(manager_a)
    body = client.get(reverse("training:officer_records", args=[attended.officer_id])).content.decode()
    assert attended.title in body and "đã hủy" in body and "Ghi nhầm lớp" in body
    assert "Phạm Thị Lan hủy lúc" in body


def test_manager_outside_scope_gets_404(client, attended, manager_b):
    client.force_login(manager_b)
    assert client.get(reverse("training:officer_records", args=[attended.officer_id])).status_code == 404
    assert (
        client.post(reverse("training:record_void", args=[attended.pk]), {"reason": "x"}).status_code == 404
    )
    assert client.get(reverse("training:record_correct", args=[attended.pk])).status_code == 404
    attended.refresh_from_db()
    assert not attended.is_void


def test_learner_cannot_open_the_history_page(client, attended, learner):
    client.force_login(learner)
    assert client.get(reverse("training:officer_records", args=[attended.officer_id])).status_code == 403


def test_void_from_the_page_needs_a_reason(client, attended, manager_a):
    client.force_login(manager_a)
    url = reverse("training:record_void", args=[attended.pk])
    client.post(url, {"reason": "   "})
    attended.refresh_from_db()
    assert not attended.is_void
    response = client.post(url, {"reason": "Trùng với lớp khác"})
    assert response.status_code == 302
    attended.refresh_from_db()
    assert attended.is_void and attended.voided_by == manager_a


def test_correction_from_the_page_keeps_history(client, attended, manager_a):
    client.force_login(manager_a)
    url = reverse("training:record_correct", args=[attended.pk])
    form = client.get(url).content.decode()
    assert "2026-03-11" in form  # prefilled with the current values
    client.post(url, {"completed_on": "2026-03-12", "hours": "6", "score": "", "reason": "Sai ngày"})
    records = TrainingRecord.objects.filter(officer=attended.officer).order_by("id")
    old, new = list(records)
    assert old.is_void and old.void_reason == "Sai ngày"
    assert (
        new.corrects == old
        and new.completed_on == date(2026, 3, 12)
        and new.source == RecordSource.CORRECTION
    )
    body = client.get(reverse("training:officer_records", args=[attended.officer_id])).content.decode()
    assert f"điều chỉnh cho bản ghi #{old.pk}" in body and "Sai ngày" in body
    assert f"được điều chỉnh bằng bản ghi #{new.pk}" in body  # the old record points forward too
    # A voided record cannot be corrected again.
    assert client.get(url).status_code == 404


def test_correction_without_reason_changes_nothing(client, attended, manager_a):
    client.force_login(manager_a)
    client.post(
        reverse("training:record_correct", args=[attended.pk]),
        {"completed_on": "2026-03-12", "hours": "6", "reason": ""},
    )
    assert TrainingRecord.objects.count() == 1 and not TrainingRecord.objects.get().is_void


def test_correction_form_refuses_a_future_date_and_a_correction_that_changes_nothing(
    client, attended, manager_a
):
    client.force_login(manager_a)
    url = reverse("training:record_correct", args=[attended.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"completed_on": tomorrow.isoformat(), "hours": "6", "reason": "Sai ngày"})
    assert response.status_code == 200
    assert "Không thể hoàn thành bồi dưỡng vào một ngày trong tương lai." in response.content.decode()
    same = {"completed_on": attended.completed_on.isoformat(), "hours": str(attended.hours), "reason": "Sửa"}
    response = client.post(url, same)
    assert "Không có gì để điều chỉnh" in response.content.decode()
    assert TrainingRecord.objects.count() == 1 and not TrainingRecord.objects.get().is_void


def test_correction_form_refuses_a_second_record_of_a_course_in_one_year(client, tree, manager_a):
    from wagtail.models import Page

    from training.ledger.services import record_course_completion

    officer = OfficerFactory(unit=tree["ga"])
    course = Page.objects.get(depth=2)
    earlier, _ = record_course_completion(officer=officer, course=course, completed_on=date(2025, 5, 2))
    record_course_completion(officer=officer, course=course, completed_on=date(2026, 1, 2))
    client.force_login(manager_a)
    response = client.post(
        reverse("training:record_correct", args=[earlier.pk]),
        {"completed_on": "2026-02-01", "hours": "0", "reason": "Sai năm"},
    )
    assert response.status_code == 200
    assert "Cán bộ này đã có bản ghi của khóa học này trong năm 2026." in response.content.decode()
    assert TrainingRecord.objects.valid().count() == 2


def test_my_records_is_read_only_and_includes_voided(client, tree, learner, auditor):
    klass = InPersonClassFactory(organising_unit=tree["a"], title="Bồi dưỡng nghiệp vụ báo cáo viên")
    (record,) = record_attendance(in_person_class=klass, officers=[learner.officer])
    correct_record(record=record, by=auditor, reason="Đổi số giờ", hours=4)
    someone_else = OfficerFactory(unit=tree["ga"])
    record_attendance(
        in_person_class=InPersonClassFactory(organising_unit=tree["a"], title="Lớp của người khác"),
        officers=[someone_else],
    )
    client.force_login(learner)
    body = client.get(reverse("training:my_records")).content.decode()
    assert body.count("Bồi dưỡng nghiệp vụ báo cáo viên") == 2 and "đã hủy" in body
    assert "Lớp của người khác" not in body
    assert "record_void" not in body and "/void/" not in body and "/correct/" not in body


def test_my_records_without_officer_profile(client, db):
    client.force_login(UserFactory())
    body = client.get(reverse("training:my_records")).content.decode()
    assert "chưa gắn với cán bộ nào" in body


def test_history_page_query_count_does_not_grow(client, tree, auditor):
    officer = OfficerFactory(unit=tree["ga"])
    url = reverse("training:officer_records", args=[officer.pk])
    client.force_login(auditor)
    first = InPersonClassFactory(organising_unit=tree["a"])
    (record,) = record_attendance(in_person_class=first, officers=[officer])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    correct_record(record=record, by=auditor, reason="Sửa")
    for index in range(20):
        klass = InPersonClassFactory(organising_unit=tree["a"], title=f"Lớp {index}")
        (made,) = record_attendance(in_person_class=klass, officers=[officer], recorded_by=auditor)
        if index % 3 == 0:
            void_record(record=made, by=auditor, reason="Hủy")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_anonymous_is_sent_to_sign_in(client, attended):
    response = client.get(reverse("training:my_records"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_change_to_a_closed_years_record_says_the_audit_stays_frozen(client, tree, manager_a, auditor):
    from training.audit.close_year import close_year
    from training.audit.services import ensure_program09

    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    ensure_program09(record.year)
    close_year(year=record.year, by=auditor, today=date(record.year + 1, 1, 2))
    client.force_login(manager_a)
    response = client.post(
        reverse("training:record_correct", args=[record.pk]),
        {"completed_on": record.completed_on.isoformat(), "hours": "1", "reason": "Sai số giờ"},
        follow=True,
    )
    frozen = f"Năm {record.year} đã khóa sổ: số liệu kiểm tra của năm đó được giữ nguyên"
    assert frozen in response.content.decode()
    fixed = TrainingRecord.objects.valid().get(officer=officer)
    void = reverse("training:record_void", args=[fixed.pk])
    response = client.post(void, {"reason": "Ghi nhầm"}, follow=True)
    assert frozen in response.content.decode()
