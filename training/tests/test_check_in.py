"""Self check-in: only while the session runs, once per officer."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from organizations.tests.factories import UserFactory
from training.models import RecordSource, TrainingRecord
from training.services import CheckInOutcome, check_in, rotate_check_in_token

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
