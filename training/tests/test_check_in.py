"""Self check-in: only while the session runs, once per officer."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from organizations.tests.factories import UserFactory
from training.classes.services import CheckInOutcome, check_in, rotate_check_in_token
from training.models import RecordSource, TrainingRecord

from .class_factories import ClassSessionFactory, InPersonClassFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute=0, day=10):
    return datetime(2026, 3, day, hour, minute, tzinfo=HANOI)


@pytest.fixture
def session(tree):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    return ClassSessionFactory(in_person_class=klass, start_time=time(8, 0), end_time=time(11, 30))


def test_before_start_is_refused(session, learner):
    outcome, record = check_in(session=session, user=learner, now=at(7, 59))
    assert outcome is CheckInOutcome.NOT_STARTED and record is None
    assert not TrainingRecord.objects.exists()


def test_during_the_session_marks_present(session, learner):
    outcome, record = check_in(session=session, user=learner, now=at(8, 0))
    assert outcome is CheckInOutcome.PRESENT
    assert record.officer == learner.officer and record.source == RecordSource.CHECK_IN
    assert record.in_person_class == session.in_person_class


def test_last_minute_counts_after_end_is_refused(session, learner):
    assert check_in(session=session, user=learner, now=at(11, 30))[0] is CheckInOutcome.PRESENT
    other = UserFactory()
    from organizations.tests.factories import OfficerFactory

    OfficerFactory(user=other, unit=learner.officer.unit)
    assert check_in(session=session, user=other, now=at(11, 31))[0] is CheckInOutcome.ENDED
    assert TrainingRecord.objects.count() == 1


def test_future_session_is_refused(session, learner):
    # The session is on 10/03; a scan the day before at the same time is refused.
    outcome, _ = check_in(session=session, user=learner, now=at(9, 0, day=9))
    assert outcome is CheckInOutcome.NOT_STARTED
    assert not TrainingRecord.objects.exists()


def test_times_are_hanoi_wall_clock(session, learner):
    # 01:30 UTC is 08:30 in Hanoi: inside the session.
    utc = datetime(2026, 3, 10, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert check_in(session=session, user=learner, now=utc)[0] is CheckInOutcome.PRESENT


def test_twice_is_once(session, learner):
    first = check_in(session=session, user=learner, now=at(8, 5))
    second = check_in(session=session, user=learner, now=at(9, 0))
    assert first[0] is CheckInOutcome.PRESENT and second[0] is CheckInOutcome.ALREADY_PRESENT
    assert first[1] == second[1]
    assert TrainingRecord.objects.count() == 1


def test_a_second_session_of_the_same_class_is_still_one_record(session, learner):
    later = ClassSessionFactory(in_person_class=session.in_person_class, date=session.date.replace(day=11))
    check_in(session=session, user=learner, now=at(8, 5))
    assert check_in(session=later, user=learner, now=at(9, 0, day=11))[0] is CheckInOutcome.ALREADY_PRESENT
    assert TrainingRecord.objects.count() == 1


def test_user_without_officer_profile(session, db):
    outcome, record = check_in(session=session, user=UserFactory(), now=at(9))
    assert outcome is CheckInOutcome.NO_OFFICER and record is None


def test_rotating_the_token_changes_it(session):
    old = session.check_in_token
    rotate_check_in_token(session=session)
    session.refresh_from_db()
    assert session.check_in_token != old and len(session.check_in_token) >= 32


# --- through the pages ----------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def running_session(tree, **class_fields):
    """A session that runs all of today (Hanoi time), so the real clock is inside it."""
    klass = InPersonClassFactory(organising_unit=tree["a"], **class_fields)
    today = timezone.localdate()
    klass.start_date = klass.end_date = today
    klass.save()
    return ClassSessionFactory(
        in_person_class=klass, date=today, start_time=time(0, 0), end_time=time(23, 59, 59)
    )


def test_qr_page_encodes_an_absolute_check_in_url(client, tree, manager_a):
    session = running_session(tree)
    client.force_login(manager_a)
    response = client.get(reverse("training:session_qr", args=[session.in_person_class.pk, session.pk]))
    body = response.content.decode()
    url = f"http://testserver/training/check-in/{session.check_in_token}/"
    assert response.status_code == 200 and "<svg" in body and f'data-check-in-url="{url}"' in body
    assert "đang diễn ra" in body


def test_qr_page_of_another_districts_class_is_404(client, tree, manager_b):
    session = running_session(tree)
    client.force_login(manager_b)
    response = client.get(reverse("training:session_qr", args=[session.in_person_class.pk, session.pk]))
    assert response.status_code == 404


def test_rotating_from_the_qr_page_kills_the_old_link(client, tree, manager_a, learner):
    session = running_session(tree)
    old_url = reverse("training:check_in", args=[session.check_in_token])
    client.force_login(manager_a)
    client.post(reverse("training:session_qr", args=[session.in_person_class.pk, session.pk]))
    client.force_login(learner)
    assert client.post(old_url).status_code == 404
    assert not TrainingRecord.objects.exists()


def test_learner_scans_confirms_and_is_present_once(client, tree, learner):
    session = running_session(tree)
    url = reverse("training:check_in", args=[session.check_in_token])
    client.force_login(learner)
    body = client.get(url).content.decode()
    assert "Tôi có mặt" in body and not TrainingRecord.objects.exists()  # a GET marks nobody
    body = client.post(url).content.decode()
    assert "Bạn đã được ghi nhận có mặt. Cảm ơn bạn!" in body
    body = client.post(url).content.decode()
    assert "Bạn đã được ghi nhận có mặt ở lớp này." in body
    assert TrainingRecord.objects.filter(officer=learner.officer).count() == 1


def test_signed_out_scan_goes_to_sign_in_and_back(client, tree):
    session = running_session(tree)
    url = reverse("training:check_in", args=[session.check_in_token])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_unknown_token_is_404(client, learner):
    client.force_login(learner)
    assert client.get(reverse("training:check_in", args=["not-a-real-token"])).status_code == 404


def test_a_future_session_is_refused_through_the_page(client, tree, learner):
    session = running_session(tree)
    session.date = timezone.localdate() + timedelta(days=1)
    session.in_person_class.end_date = session.date
    session.in_person_class.save()
    session.save()
    client.force_login(learner)
    body = client.post(reverse("training:check_in", args=[session.check_in_token])).content.decode()
    assert "Buổi học chưa bắt đầu" in body and not TrainingRecord.objects.exists()


def test_an_ended_session_is_refused_through_the_page(client, tree, learner):
    session = running_session(tree)
    session.date = timezone.localdate() - timedelta(days=1)
    session.in_person_class.start_date = session.date
    session.in_person_class.save()
    session.save()
    client.force_login(learner)
    body = client.post(reverse("training:check_in", args=[session.check_in_token])).content.decode()
    assert "Buổi học đã kết thúc" in body and not TrainingRecord.objects.exists()


def test_account_without_officer_gets_a_clear_message(client, tree):
    session = running_session(tree)
    client.force_login(UserFactory())
    body = client.post(reverse("training:check_in", args=[session.check_in_token])).content.decode()
    assert "Tài khoản của bạn chưa gắn với cán bộ nào" in body
    assert not TrainingRecord.objects.exists()


def test_the_organiser_can_take_off_someone_from_another_district_who_checked_in(
    client, tree, manager_a, learner
):
    """Anyone may scan the code; the organiser corrects the list afterwards, whoever it holds."""
    from organizations.tests.factories import OfficerFactory

    session = running_session(tree)
    stranger = UserFactory(email="stranger@example.vn")
    OfficerFactory(unit=tree["gb"], user=stranger, family_name="Đinh", given_name="Khoa")  # Cầu Giấy
    client.force_login(stranger)
    client.post(reverse("training:check_in", args=[session.check_in_token]))
    (record,) = TrainingRecord.objects.filter(officer__user=stranger)

    client.force_login(manager_a)
    klass = session.in_person_class
    body = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    # Listed, without a link to a history page outside the manager's scope.
    assert "Đinh Văn Khoa" in body
    assert reverse("training:officer_records", args=[record.officer_id]) not in body
    response = client.post(
        reverse("training:attendance_remove", args=[klass.pk, record.pk]),
        {"reason": "Không dự lớp, quét mã từ xa"},
        follow=True,
    )
    assert "Đã đưa Đinh Văn Khoa ra khỏi danh sách." in response.content.decode()
    record.refresh_from_db()
    assert record.is_void and record.voided_by == manager_a
