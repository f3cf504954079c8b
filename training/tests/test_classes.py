"""Attendance at in-person classes becomes ledger records; corrections keep history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from organizations.tests.factories import OfficerFactory
from training.classes.services import record_attendance, remove_attendance
from training.ledger.services import correct_record
from training.ledger.signals import training_recorded
from training.models import InPersonClass, RecordSource, TrainingKind, TrainingRecord

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

    from training.ledger.services import record_course_completion

    officer = OfficerFactory(unit=tree["ga"])
    course = Page.objects.get(depth=2)
    record, _ = record_course_completion(officer=officer, course=course, completed_on=date(2026, 1, 2))
    fixed = correct_record(
        record=record, by=auditor, reason="Hoàn thành năm trước", completed_on=date(2025, 12, 30)
    )
    assert fixed.year == 2025 and fixed.course_id == course.pk
    assert TrainingRecord.objects.valid().for_year(2026).count() == 0


def test_a_correction_that_would_break_the_ledger_changes_nothing(tree, auditor):
    """A date in the future, or a second valid record of one course in a year, is refused and
    the record being corrected stays valid (the void is rolled back with it)."""
    from wagtail.models import Page

    from training.ledger.services import record_course_completion

    officer = OfficerFactory(unit=tree["ga"])
    course = Page.objects.get(depth=2)
    earlier, _ = record_course_completion(officer=officer, course=course, completed_on=date(2025, 5, 2))
    later, _ = record_course_completion(officer=officer, course=course, completed_on=date(2026, 1, 2))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValueError, match="future"):
        correct_record(record=later, by=auditor, reason="Sai ngày", completed_on=tomorrow)
    with pytest.raises(ValueError, match="already has a valid record"):
        correct_record(record=earlier, by=auditor, reason="Sai năm", completed_on=date(2026, 2, 1))
    assert set(TrainingRecord.objects.valid()) == {earlier, later}
    assert TrainingRecord.objects.count() == 2


def test_class_cannot_end_before_it_starts(tree):
    from django.core.exceptions import ValidationError

    klass = InPersonClassFactory.build(
        organising_unit=tree["a"], start_date=date(2026, 3, 10), end_date=date(2026, 3, 9)
    )
    with pytest.raises(ValidationError):
        klass.full_clean()


# --- pages: organisers and scope ------------------------------------------------------------------

from django.urls import reverse  # noqa: E402

from organizations.tests.factories import UserFactory  # noqa: E402


def test_manager_creates_a_class_only_for_units_in_scope(client, tree, manager_a):
    client.force_login(manager_a)
    data = {
        "title": "Bồi dưỡng nghiệp vụ báo cáo viên",
        "topic": "Nghiệp vụ",
        "start_date": "2026-04-02",
        "end_date": "2026-04-03",
        "place": "Nhà văn hóa quận",
        "hours": "12",
        "counts_toward_requirement": "on",
    }
    refused = client.post(reverse("training:class_create"), {**data, "organising_unit": tree["b"].pk})
    assert refused.status_code == 200 and not InPersonClass.objects.exists()
    response = client.post(reverse("training:class_create"), {**data, "organising_unit": tree["ga"].pk})
    klass = InPersonClass.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "training:class_detail", args=[klass.pk]
    )
    assert klass.created_by == manager_a and klass.organising_unit == tree["ga"]


def test_learner_is_refused_the_organiser_pages(client, learner, tree):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(learner)
    assert client.get(reverse("training:class_list")).status_code == 403
    assert client.get(reverse("training:class_attendance", args=[klass.pk])).status_code == 403


def test_manager_sees_only_classes_of_their_subtree(client, tree, manager_a):
    mine = InPersonClassFactory(organising_unit=tree["ga"], title="Lớp của quận Ba Đình")
    theirs = InPersonClassFactory(organising_unit=tree["b"], title="Lớp của quận Cầu Giấy")
    client.force_login(manager_a)
    body = client.get(reverse("training:class_list")).content.decode()
    assert mine.title in body and theirs.title not in body
    for name in ("class_detail", "class_attendance", "class_upload", "class_edit"):
        assert client.get(reverse(f"training:{name}", args=[theirs.pk])).status_code == 404


def test_tick_list_shows_only_officers_in_scope(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    inside = OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")
    outside = OfficerFactory(unit=tree["gb"], family_name="Phạm", middle_name="Văn", given_name="Tuấn")
    client.force_login(manager_a)
    body = client.get(reverse("training:class_attendance", args=[klass.pk])).content.decode()
    assert inside.full_name in body and outside.full_name not in body


def test_ticking_an_officer_outside_scope_by_hand_is_404(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    inside = OfficerFactory(unit=tree["ga"])
    outside = OfficerFactory(unit=tree["gb"])
    client.force_login(manager_a)
    url = reverse("training:class_attendance", args=[klass.pk])
    assert client.post(url, {"officer": [inside.pk, outside.pk]}).status_code == 404
    assert not TrainingRecord.objects.exists()
    assert client.post(url, {"officer": [inside.pk]}).status_code == 302
    assert TrainingRecord.objects.get().officer == inside


def test_ticked_officers_show_as_present_and_search_finds_by_name(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    hoa = OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")
    OfficerFactory(unit=tree["ga"], family_name="Đỗ", middle_name="Văn", given_name="Nam")
    record_attendance(in_person_class=klass, officers=[hoa])
    client.force_login(manager_a)
    url = reverse("training:class_attendance", args=[klass.pk])
    body = client.get(url, {"q": "Hoa"}).content.decode()
    assert "Lê Thị Hoa" in body and "Đỗ Văn Nam" not in body and "có mặt" in body


def test_names_are_in_vietnamese_order(client, tree, auditor):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    for family, given in [("Nguyễn", "Vy"), ("Trần", "An"), ("Lê", "Bình")]:
        OfficerFactory(unit=tree["ga"], family_name=family, middle_name="Văn", given_name=given)
    client.force_login(auditor)
    body = client.get(reverse("training:class_attendance", args=[klass.pk])).content.decode()
    # By given name first: An, Bình, Vy.
    assert body.index("Trần Văn An") < body.index("Lê Văn Bình") < body.index("Nguyễn Văn Vy")


def test_attendance_page_query_count_does_not_grow(client, tree, auditor, django_assert_max_num_queries):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    url = reverse("training:class_attendance", args=[klass.pk])
    client.force_login(auditor)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    officers = [OfficerFactory(unit=tree["ga"]) for _ in range(3)]
    record_attendance(in_person_class=klass, officers=officers[:1])
    small = count_queries()
    more = [OfficerFactory(unit=tree[k]) for k in ("ga", "gb", "a", "b") for _ in range(20)]
    record_attendance(in_person_class=klass, officers=more[::2])
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_class_detail_query_count_does_not_grow(client, tree, auditor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .class_factories import ClassSessionFactory

    klass = InPersonClassFactory(organising_unit=tree["a"])
    ClassSessionFactory(in_person_class=klass)
    url = reverse("training:class_detail", args=[klass.pk])
    client.force_login(auditor)
    record_attendance(in_person_class=klass, officers=[OfficerFactory(unit=tree["ga"])])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    record_attendance(in_person_class=klass, officers=[OfficerFactory(unit=tree["gb"]) for _ in range(30)])
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "31 cán bộ có mặt" in body


def test_organiser_takes_someone_off_the_list_with_a_reason(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    officer = OfficerFactory(unit=tree["ga"])
    (record,) = record_attendance(in_person_class=klass, officers=[officer])
    client.force_login(manager_a)
    url = reverse("training:attendance_remove", args=[klass.pk, record.pk])
    client.post(url, {"reason": ""})
    record.refresh_from_db()
    assert not record.is_void
    client.post(url, {"reason": "Không tham dự"})
    record.refresh_from_db()
    assert record.is_void and record.void_reason == "Không tham dự"


def test_session_must_fall_within_the_class(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(manager_a)
    url = reverse("training:session_add", args=[klass.pk])
    client.post(url, {"date": "2026-05-01", "start_time": "08:00", "end_time": "11:00"})
    assert not klass.sessions.exists()
    client.post(url, {"date": "2026-03-10", "start_time": "08:00", "end_time": "07:00"})
    assert not klass.sessions.exists()
    client.post(url, {"date": "2026-03-10", "start_time": "08:00", "end_time": "11:00"})
    assert klass.sessions.count() == 1


def test_an_account_without_officer_cannot_organise(client, tree):
    client.force_login(UserFactory())
    assert client.get(reverse("training:class_create")).status_code == 403


def test_admin_lists_only_classes_in_scope(client, tree, manager_a):
    from django.contrib.auth.models import Permission

    mine = InPersonClassFactory(organising_unit=tree["ga"], title="Lớp của quận Ba Đình")
    theirs = InPersonClassFactory(organising_unit=tree["b"], title="Lớp của quận Cầu Giấy")
    manager_a.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_inpersonclass", "change_inpersonclass"]
        )
    )
    client.force_login(manager_a)
    body = client.get("/admin/training/classes/").content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(f"/admin/training/classes/edit/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/training/classes/edit/{mine.pk}/").status_code == 200
    assert client.get("/admin/training/classes/new/").status_code in (200, 302)  # no add permission here


def test_tick_list_filters_by_unit_and_ignores_units_outside_scope(client, tree, manager_a):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    at_district = OfficerFactory(unit=tree["a"], family_name="Vũ", middle_name="Văn", given_name="Khánh")
    at_grassroots = OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")
    client.force_login(manager_a)
    url = reverse("training:class_attendance", args=[klass.pk])
    body = client.get(url, {"unit": "CS-A"}).content.decode()
    assert at_grassroots.full_name in body and at_district.full_name not in body
    body = client.get(url, {"unit": "CS-B"}).content.decode()  # not theirs: the filter is ignored
    assert at_grassroots.full_name in body and at_district.full_name in body
    assert "CĐCS Trường THCS Cầu Giấy" not in body


def _class_from_tomorrow(tree):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    return InPersonClassFactory(organising_unit=tree["a"], start_date=tomorrow, end_date=tomorrow)


def test_the_service_refuses_attendance_before_the_class_starts(tree):
    from training.classes.services import ClassNotStartedError

    klass = InPersonClassFactory(
        organising_unit=tree["a"], start_date=date(2026, 3, 10), end_date=date(2026, 3, 11)
    )
    officer = OfficerFactory(unit=tree["ga"])
    with pytest.raises(ClassNotStartedError):
        record_attendance(in_person_class=klass, officers=[officer], today=date(2026, 3, 9))
    assert not TrainingRecord.objects.exists()
    (record,) = record_attendance(in_person_class=klass, officers=[officer], today=date(2026, 3, 10))
    assert record.completed_on == date(2026, 3, 11)


def test_officers_cannot_be_ticked_before_the_class_starts(client, tree, manager_a):
    from datetime import timedelta

    from django.urls import reverse

    klass = _class_from_tomorrow(tree)
    officer = OfficerFactory(unit=tree["ga"])
    client.force_login(manager_a)
    message = f"Lớp bắt đầu ngày {klass.start_date:%d/%m/%Y}: chỉ được điểm danh từ ngày đó trở đi"

    detail = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    assert message in detail and reverse("training:class_attendance", args=[klass.pk]) not in detail
    url = reverse("training:class_attendance", args=[klass.pk])
    page = client.get(url).content.decode()
    assert message in page and "Ghi nhận những người đã chọn có mặt" not in page
    assert f'name="officer" disabled value="{officer.pk}"' in page

    response = client.post(url, {"officer": [officer.pk]}, follow=True)
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()

    # From the first day of the class on, ticking works.
    InPersonClass.objects.filter(pk=klass.pk).update(start_date=klass.start_date - timedelta(days=1))
    response = client.post(url, {"officer": [officer.pk]}, follow=True)
    assert "Đã ghi nhận 1 cán bộ có mặt." in response.content.decode()
    assert TrainingRecord.objects.get().officer == officer


def test_check_in_of_a_session_dated_before_its_class_is_refused(tree, learner):
    from datetime import time, timedelta

    from django.utils import timezone

    from training.classes.services import CheckInOutcome, check_in
    from training.models import ClassSession

    klass = _class_from_tomorrow(tree)
    # The class's dates were moved after its session was planned: the session is today.
    session = ClassSession.objects.create(
        in_person_class=klass,
        date=klass.start_date - timedelta(days=1),
        start_time=time(0, 0),
        end_time=time(23, 59, 59),
    )
    outcome, record = check_in(session=session, user=learner, now=timezone.now())
    assert outcome == CheckInOutcome.NOT_STARTED and record is None
    assert not TrainingRecord.objects.exists()
