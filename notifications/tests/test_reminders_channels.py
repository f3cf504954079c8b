"""Reminders reach officers through the stub Zalo and SMS servers; the dry run counts by channel."""

import pytest
from django.core import mail

from conftest import make_manager
from notifications.models import Message, MessageState
from organizations.models import ContactChannel, Role
from training.tasks import send_reminders
from training.tests.audit_helpers import (
    YEAR,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
)

TODAY = f"{YEAR}-03-01"


@pytest.fixture
def roster(tree, program09):
    return {
        "zalo": officer_with(
            tree["gb"], Role.REPORTER, given_name="Hà", phone="+84912000001", email="ha@example.vn"
        ),
        "sms": officer_with(
            tree["gb"], Role.PROPAGANDIST, given_name="Lan", phone="0912000002", preferred_channel="sms"
        ),
        "mail": officer_with(tree["ga"], Role.PROPAGANDIST, given_name="Minh", email="minh@example.vn"),
        "nobody": officer_with(tree["ga"], Role.GRASSROOTS_CHAIR, given_name="Cường"),
        "manager": make_manager(tree["b"], "manager.b@example.vn"),
    }


def test_the_dry_run_counts_recipients_by_channel_and_lists_the_unreachable(roster, zalo, sms):
    result = send_reminders(cadence="monthly", dry_run=True, today=TODAY)
    assert result["by_channel"] == {ContactChannel.ZALO: 1, ContactChannel.SMS: 1, ContactChannel.EMAIL: 2}
    assert result["unreachable"] == ["Nguyễn Văn Cường"]
    assert Message.objects.count() == 0 and zalo.requests == [] and sms.requests == []


def test_reminders_reach_officers_through_zalo_sms_and_e_mail_once(roster, zalo, sms):
    sent = send_reminders(cadence="monthly", today=TODAY)["sent"]
    assert sorted(sent) == ["+84912000001", "+84912000002", "manager.b@example.vn", "minh@example.vn"]
    (zns,) = zalo.sent
    assert zns["phone"] == "84912000001" and zns["template_id"] == "301001"
    assert (
        zns["template_data"]["name"] == "Nguyễn Văn Hà"
        and zns["template_data"]["deadline"] == f"31/12/{YEAR}"
    )
    (text,) = sms.sent
    assert text["Phone"] == "84912000002" and "Nguyen Van Lan" in text["Content"]
    assert sorted(m.to[0] for m in mail.outbox) == ["manager.b@example.vn", "minh@example.vn"]
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.SENT}
    # The same reminder again: nobody is written to twice, on any channel.
    assert send_reminders(cadence="monthly", today=f"{YEAR}-03-15")["sent"] == []
    assert len(zalo.sent) == 1 and len(sms.sent) == 1 and len(mail.outbox) == 2


def test_a_provider_outage_is_retried_without_a_duplicate(roster, zalo, sms):
    zalo.fail_next("server_error")
    sms.fail_next("timeout")
    send_reminders(cadence="monthly", today=TODAY)
    waiting = Message.objects.filter(state=MessageState.QUEUED)
    assert sorted(waiting.values_list("channel", flat=True)) == ["sms", "zalo"]
    from notifications.services import deliver

    waiting.update(next_attempt_at=Message.objects.earliest("created_at").created_at)
    for message in list(waiting):
        assert deliver(message.pk) == MessageState.SENT
    assert len(zalo.sent) == 1 and len(sms.sent) == 1
