"""Reminders: officers not yet trained and unit managers are written to once per reminder."""

from datetime import date

import pytest
from celery.schedules import crontab
from django.core import mail

from conftest import make_manager
from organizations.models import Role
from training.audit_services import close_year
from training.models import ReminderSent
from training.tasks import BEAT_SCHEDULE, reminder_key, send_reminders

from .audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)

TODAY = f"{YEAR}-03-01"


@pytest.fixture
def roster(tree, program09):
    untrained = officer_with(tree["gb"], Role.REPORTER, given_name="Hà", email="ha@example.vn")
    trained = officer_with(tree["ga"], Role.PROPAGANDIST, given_name="Anh", email="anh@example.vn")
    officer_with(tree["ga"], Role.GRASSROOTS_CHAIR, given_name="Cường")  # no e-mail address: skipped
    record(trained, date(YEAR, 2, 1))
    manager = make_manager(tree["b"], "manager.b@example.vn")
    return {"untrained": untrained, "trained": trained, "manager": manager}


def test_dry_run_lists_recipients_and_sends_nothing(roster):
    result = send_reminders(cadence="monthly", dry_run=True, today=TODAY)
    assert result["key"] == f"{YEAR}-03"
    assert result["would_send"] == ["ha@example.vn", "manager.b@example.vn"]
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_reminder_is_sent_once(roster):
    first = send_reminders(cadence="monthly", today=TODAY)
    assert first["sent"] == ["ha@example.vn", "manager.b@example.vn"]
    assert len(mail.outbox) == 2
    officer_mail, manager_mail = mail.outbox
    assert officer_mail.to == ["ha@example.vn"] and "chưa hoàn thành bồi dưỡng năm" in officer_mail.subject
    assert "31/12/2026" in officer_mail.body
    assert "LĐLĐ quận Cầu Giấy" in manager_mail.subject and "0/1" in manager_mail.body
    again = send_reminders(cadence="monthly", today=f"{YEAR}-03-15")
    assert again["sent"] == [] and len(mail.outbox) == 2
    # The next month is a new reminder.
    send_reminders(cadence="monthly", today=f"{YEAR}-04-01")
    assert len(mail.outbox) == 4
    assert ReminderSent.objects.count() == 4


def test_trained_officers_and_closed_years_get_nothing(roster, auditor):
    record(roster["untrained"], date(YEAR, 2, 20))
    result = send_reminders(cadence="monthly", dry_run=True, today=TODAY)
    assert result["would_send"] == ["manager.b@example.vn"]
    close_year(year=YEAR, by=auditor, today=date(YEAR + 1, 1, 2))
    assert send_reminders(cadence="monthly", today=TODAY)["sent"] == []
    assert mail.outbox == []


def test_weekly_december_key_and_beat_schedule():
    assert reminder_key(date(YEAR, 12, 7), "weekly") == f"{YEAR}-W50"
    assert reminder_key(date(YEAR, 12, 7), "monthly") == f"{YEAR}-12"
    from lms.celery import app

    schedule = app.conf.beat_schedule
    for name in BEAT_SCHEDULE:
        assert schedule[name]["task"] == "training.tasks.send_reminders"
    weekly = schedule["training-reminders-weekly-december"]["schedule"]
    assert isinstance(weekly, crontab) and weekly.month_of_year == {12} and weekly.day_of_week == {1}
    assert schedule["training-reminders-monthly"]["schedule"].day_of_month == {1}


def test_dry_run_page_for_auditors_only(client, roster, auditor, manager_a):
    client.force_login(manager_a)
    assert client.get("/audit/reminders/").status_code == 403
    client.force_login(auditor)
    response = client.get("/audit/reminders/")
    assert response.status_code == 200
