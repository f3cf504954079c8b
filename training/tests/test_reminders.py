"""Reminders: officers not yet trained and unit managers are written to once per reminder."""

from datetime import date

import pytest
from celery.schedules import crontab
from django.core import mail

from conftest import make_manager
from organizations.models import Role
from training.audit.close_year import close_year
from training.audit.reminders import reminder_key
from training.models import ReminderSent, Requirement, RequirementTarget
from training.tasks import BEAT_SCHEDULE, send_reminders

from .audit_helpers import (
    CORPS,
    LARGE,
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
    for name in ("training-reminders-monthly", "training-reminders-weekly-december"):
        assert schedule[name]["task"] == "training.tasks.send_reminders"
    assert set(BEAT_SCHEDULE) <= set(schedule)
    weekly = schedule["training-reminders-weekly-december"]["schedule"]
    assert isinstance(weekly, crontab) and weekly.month_of_year == {12} and weekly.day_of_week == {1}
    assert schedule["training-reminders-monthly"]["schedule"].day_of_month == {1}


def _listed(html: str, list_id: str) -> list[str]:
    import re

    block = re.search(rf'<ul id="{list_id}">(.*?)</ul>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_dry_run_page_for_auditors_only(client, roster, auditor, manager_a, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR, 3, 1))
    manager_name = roster["manager"].officer.full_name
    client.force_login(manager_a)
    assert client.get("/audit/reminders/").status_code == 403
    client.force_login(auditor)
    html = client.get("/audit/reminders/").content.decode()
    assert f"Nhắc nhở · {YEAR}-03" in html
    # The untrained officer with an address; not the trained one, not the one without an address.
    assert _listed(html, "reminder-officers") == ["Nguyễn Văn Hà &lt;ha@example.vn&gt; · Thư điện tử"]
    assert _listed(html, "reminder-managers") == [
        f"{manager_a.officer.full_name} &lt;manager.a@example.vn&gt; · LĐLĐ quận Ba Đình",
        f"{manager_name} &lt;manager.b@example.vn&gt; · LĐLĐ quận Cầu Giấy",
    ]
    assert "&lt;anh@example.vn&gt;" not in html  # trained
    # Cường (no address) cannot be reached: the department is told who, and how many.
    assert "Còn 1 cán bộ chưa bồi dưỡng không liên lạc được qua kênh nào" in html
    assert _listed(html, "reminder-unreachable") == ["Nguyễn Văn Cường"]
    assert "Thư điện tử: 3" in html  # by channel: the officer and the two managers
    assert mail.outbox == [] and not ReminderSent.objects.exists()  # a dry run sends nothing

    send_reminders(cadence="monthly", today=f"{YEAR}-03-01")
    html = client.get("/audit/reminders/").content.decode()
    assert _listed(html, "reminder-officers") == [] and _listed(html, "reminder-managers") == []
    # Another reminder key (the weekly one of that week) would write to them again.
    html = client.get("/audit/reminders/", {"key": f"{YEAR}-W09"}).content.decode()
    assert _listed(html, "reminder-officers") == ["Nguyễn Văn Hà &lt;ha@example.vn&gt; · Thư điện tử"]


def test_a_weekly_december_reminder_is_sent_once_a_week(roster):
    first = send_reminders(cadence="weekly", today=f"{YEAR}-12-07")
    assert first["key"] == f"{YEAR}-W50"
    assert first["sent"] == ["ha@example.vn", "manager.b@example.vn"]
    officer_mail, manager_mail = mail.outbox
    assert (
        officer_mail.to == ["ha@example.vn"] and "chưa hoàn thành bồi dưỡng năm 2026" in officer_mail.subject
    )
    assert "Hạn hoàn thành: 31/12/2026" in officer_mail.body
    assert manager_mail.to == ["manager.b@example.vn"] and "LĐLĐ quận Cầu Giấy" in manager_mail.subject
    # Later the same week: nothing; the next Monday: a new weekly reminder.
    assert send_reminders(cadence="weekly", today=f"{YEAR}-12-09")["sent"] == []
    assert len(mail.outbox) == 2
    assert send_reminders(cadence="weekly", today=f"{YEAR}-12-14")["sent"] == [
        "ha@example.vn",
        "manager.b@example.vn",
    ]
    assert len(mail.outbox) == 4
    assert set(ReminderSent.objects.values_list("key", flat=True)) == {f"{YEAR}-W50", f"{YEAR}-W51"}


def test_a_manager_of_several_units_gets_one_summary_of_them_all(tree, program09):
    from organizations.tests.factories import RoleAssignmentFactory

    officer_with(tree["gb"], Role.REPORTER, given_name="Hà")  # Cầu Giấy: 0/1 trained
    trained = officer_with(tree["ga"], Role.PROPAGANDIST, given_name="Anh")  # Ba Đình: 1/1
    record(trained, date(YEAR, 2, 1))
    user = make_manager(tree["a"], "manager.both@example.vn")
    for unit in (tree["b"], tree["gb"]):  # Cầu Giấy, and a union inside it: covered by Cầu Giấy
        RoleAssignmentFactory(
            officer=user.officer, unit=unit, role=Role.UNIT_MANAGER, start_date=date(2020, 1, 1)
        )

    result = send_reminders(cadence="monthly", today=TODAY)
    assert result["sent"].count("manager.both@example.vn") == 1
    (summary,) = [m for m in mail.outbox if m.to == ["manager.both@example.vn"]]
    assert summary.subject == f"Bồi dưỡng năm {YEAR}: tổng hợp 2 đơn vị đồng chí phụ trách"
    body = summary.body
    assert "LĐLĐ quận Ba Đình:\n" in body and "LĐLĐ quận Cầu Giấy:\n" in body
    assert "CĐCS Trường THCS Cầu Giấy:" not in body
    ba_dinh, cau_giay = body.split("LĐLĐ quận Ba Đình:\n")[1].split("LĐLĐ quận Cầu Giấy:\n")
    assert ": 1/1 (100,00%)" in ba_dinh and ": 0/1 (0,00%)" in cau_giay
    assert ReminderSent.objects.filter(email="manager.both@example.vn").count() == 1


def test_monday_the_first_of_december_sends_one_mail_not_two(roster):
    # 1 December 2025 was a Monday: the monthly and the weekly schedules both fire.
    day = f"{YEAR - 1}-12-01"
    assert date.fromisoformat(day).isoweekday() == 1
    monthly = send_reminders(cadence="monthly", today=day)
    weekly = send_reminders(cadence="weekly", today=day)
    assert monthly["key"] == weekly["key"] == f"{YEAR - 1}-12"
    # In 2025 nobody had trained yet (Anh trained in February 2026).
    assert sorted(monthly["sent"]) == ["anh@example.vn", "ha@example.vn", "manager.b@example.vn"]
    assert weekly["sent"] == []
    assert sorted(m.to[0] for m in mail.outbox) == ["anh@example.vn", "ha@example.vn", "manager.b@example.vn"]
    # The next Monday is the weekly reminder again.
    assert reminder_key(date(YEAR - 1, 12, 8), "weekly") == f"{YEAR - 1}-W50"
    assert len(send_reminders(cadence="weekly", today=f"{YEAR - 1}-12-08")["sent"]) == 3


def test_the_dry_run_page_pages_its_lists_and_costs_no_query_per_manager(
    client, tree, program09, auditor, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR, 3, 1))
    client.force_login(auditor)

    def dry_run(**params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/audit/reminders/", params).content.decode()
        return html, len(queries)

    for i in range(3):
        officer_with(tree["gb"], Role.REPORTER, given_name=f"Hà{i:02d}", email=f"ha{i:02d}@example.vn")
        make_manager(tree["ga"] if i % 2 else tree["gb"], f"manager{i:02d}@example.vn")
    _html, few = dry_run()
    for i in range(3, 60):
        officer_with(tree["gb"], Role.REPORTER, given_name=f"Hà{i:02d}", email=f"ha{i:02d}@example.vn")
        make_manager(tree["ga"] if i % 2 else tree["gb"], f"manager{i:02d}@example.vn")
    html, many = dry_run()
    assert many == few
    assert "60 cán bộ chưa bồi dưỡng" in html and "60 người quản lý đơn vị" in html
    assert len(_listed(html, "reminder-officers")) == 50 and "Trang 1 / 2" in html
    assert len(_listed(dry_run(page=2)[0], "reminder-officers")) == 10
    assert len(_listed(dry_run(mpage=2)[0], "reminder-managers")) == 10
    # A reminder key that is not one falls back to this month's.
    assert f"Nhắc nhở · {YEAR}-03" in dry_run(key="<b>abc</b>")[0]


@pytest.fixture
def early_deadlines(tree, program09):
    """Xuân is required by target 2 only (small union), Yến by targets 2 and 3 (1,200 workers);
    target 2 is due 30/06, target 3 at the end of the year."""
    only_corps = officer_with(tree["gb"], Role.REPORTER, given_name="Xuân", email="xuan@example.vn")
    both = officer_with(tree["ga"], Role.REPORTER, given_name="Yến", email="yen@example.vn")
    make_manager(tree["b"], "manager.b@example.vn")
    Requirement.objects.filter(pk=program09[CORPS].pk).update(deadline=date(YEAR, 6, 30))
    return {"only_corps": only_corps, "both": both}


def test_reminders_of_a_target_stop_once_its_early_deadline_has_passed(early_deadlines):
    june = send_reminders(cadence="monthly", dry_run=True, today=f"{YEAR}-06-01")
    assert june["would_send"] == ["xuan@example.vn", "yen@example.vn", "manager.b@example.vn"]
    # 30/06 is still in time; 01/07 is not: Xuân, required only by target 2, is reminded no more.
    assert "xuan@example.vn" in send_reminders(dry_run=True, today=f"{YEAR}-06-30")["would_send"]
    july = send_reminders(cadence="monthly", today=f"{YEAR}-07-01")
    assert july["sent"] == ["yen@example.vn", "manager.b@example.vn"]
    officer_mail, manager_mail = mail.outbox
    assert "31/12/2026" in officer_mail.body  # the deadline still running for her
    # The manager's summary leaves out the target whose deadline has passed.
    assert str(RequirementTarget.CORPS.label) not in manager_mail.body
    assert str(RequirementTarget.LARGE_GRASSROOTS.label) in manager_mail.body


def test_an_officer_missing_two_targets_is_told_the_earlier_deadline(early_deadlines):
    send_reminders(cadence="monthly", today=f"{YEAR}-06-01")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "30/06/2026" in bodies["yen@example.vn"] and "30/06/2026" in bodies["xuan@example.vn"]


def test_no_reminders_once_every_deadline_has_passed_and_the_dry_run_says_why(
    client, auditor, early_deadlines, program09, monkeypatch
):
    from django.utils import timezone

    Requirement.objects.filter(pk=program09[LARGE].pk).update(deadline=date(YEAR, 10, 31))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR, 11, 2))
    assert send_reminders(cadence="monthly", today=f"{YEAR}-11-01")["sent"] == []
    assert mail.outbox == []
    client.force_login(auditor)
    html = client.get("/audit/reminders/").content.decode()
    assert _listed(html, "reminder-officers") == [] and _listed(html, "reminder-managers") == []
    assert _listed(html, "reminder-passed") == [
        f"Chỉ tiêu “{label}” đã hết hạn ({deadline}): không còn nhắc các cán bộ thuộc chỉ tiêu này."
        for label, deadline in [
            (RequirementTarget.CORPS.label, f"30/06/{YEAR}"),
            (RequirementTarget.LARGE_GRASSROOTS.label, f"31/10/{YEAR}"),
        ]
    ]
