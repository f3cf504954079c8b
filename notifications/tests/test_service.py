"""The layer: which channel, dedupe, retries with backoff, the admin's retry, the sweep."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from notifications import routing
from notifications.models import Message, MessageState
from notifications.services import backoff_seconds, deliver, retry_message, send, sweep_messages
from organizations.models import ContactChannel
from organizations.tests.factories import OfficerFactory, UserFactory

PHONE = "+84912345678"


def due(message):
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_with_nothing_configured_everyone_with_an_address_gets_e_mail(tree):
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE, email="mai@example.vn")
    message = send("reminder", officer=officer, subject="Nhắc nhở", body="Kính gửi", deliver_now=True)
    assert (message.channel, message.state, message.fallbacks) == ("email", MessageState.SENT, [])
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["mai@example.vn"], "Nhắc nhở", "Kính gửi")]
    # The account's address serves when the roster has none.
    account_only = OfficerFactory(unit=tree["ga"], email="", user=UserFactory(email="Lan@Example.vn"))
    assert routing.route(account_only) == [("email", "lan@example.vn")]


def test_order_and_preferred_channel(tree, zalo, sms, settings):
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE, email="mai@example.vn")
    assert [c for c, _a in routing.route(officer, "reminder")] == ["zalo", "sms", "email"]
    settings.NOTIFY_CHANNEL_ORDER = ["email", "sms"]
    assert [c for c, _a in routing.route(officer, "reminder")] == ["email", "sms"]
    officer.preferred_channel = ContactChannel.ZALO
    assert [c for c, _a in routing.route(officer, "reminder")] == ["zalo", "email", "sms"]
    # Zalo carries only the kinds it has an approved template for.
    assert [c for c, _a in routing.route(officer, "invitation")] == ["email", "sms"]
    # No e-mail and no phone: unreachable, and a message to them fails saying why.
    nobody = OfficerFactory(unit=tree["ga"], phone="", email="")
    assert not routing.is_reachable(nobody)
    message = send("reminder", officer=nobody, subject="x", deliver_now=True)
    assert message.state == MessageState.FAILED and "Không có kênh nào liên lạc được" in message.error


def test_a_dedupe_key_makes_a_repeated_call_a_no_op(tree):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    first = send(
        "certificate_ready", officer=officer, subject="a", dedupe_key="certificate:1", deliver_now=True
    )
    again = send(
        "certificate_ready", officer=officer, subject="a", dedupe_key="certificate:1", deliver_now=True
    )
    assert again.pk == first.pk and Message.objects.count() == 1 and len(mail.outbox) == 1


def test_temporary_errors_back_off_exponentially_then_fail_with_the_reason(tree, settings):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.UnreachableBackend"
    settings.NOTIFY_MAX_ATTEMPTS = 4
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 30
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    settings.NOTIFY_RETRY_BACKOFF_MAX_SECONDS = 100
    assert backoff_seconds(4) == 100
    # An unreachable mail server refuses every address: SMTPRecipientsRefused is permanent.
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    refused = send("reminder", officer=officer, subject="x", deliver_now=True)
    assert refused.state == MessageState.FAILED and "SMTPRecipientsRefused" in refused.error

    settings.EMAIL_BACKEND = "notifications.tests.mail_backends.DownBackend"
    message = send("reminder", officer=officer, subject="x", deliver_now=True)
    waits = []
    for _attempt in range(3):
        message.refresh_from_db()
        assert message.state == MessageState.QUEUED and "ConnectionRefusedError" in message.error
        waits.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 10) * 10)
        assert deliver(message.pk) == MessageState.QUEUED  # not due yet: nothing happens
        due(message)
        deliver(message.pk)
    message.refresh_from_db()
    assert waits == [30, 60, 100]
    assert (message.state, message.attempts) == (MessageState.FAILED, 4)
    assert mail.outbox == []


def test_retry_from_the_admin_keeps_the_idempotency_key_and_follows_the_roster(tree, settings):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.RefusingBackend"
    officer = OfficerFactory(unit=tree["ga"], email="down@example.vn")
    message = send("reminder", officer=officer, subject="x", deliver_now=True)
    assert message.state == MessageState.FAILED
    key = message.idempotency_key
    officer.email = "mai@example.vn"  # the roster corrected
    officer.save()
    assert retry_message(message) is True
    assert retry_message(message) is False  # queued already: a second click does nothing
    assert deliver(message.pk) == MessageState.SENT
    message.refresh_from_db()
    assert (message.idempotency_key, message.address, message.attempts) == (key, "mai@example.vn", 1)
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_the_sweep_requeues_lost_tasks_and_never_resends_an_unknown_outcome(tree, sms, settings):
    settings.JOB_SWEEP_SECONDS, settings.JOB_STALE_SECONDS, settings.NOTIFY_HTTP_TIMEOUT = 60, 60, 1
    long_ago = timezone.now() - timedelta(minutes=10)
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE, email="mai@example.vn")
    lost = send("reminder", officer=officer, subject="x", dedupe_key="lost")
    Message.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    by_sms = send("reminder", officer=officer, subject="x", dedupe_key="sms")
    by_mail = send("reminder", officer=officer, subject="x", only=["email"], dedupe_key="mail")
    Message.objects.filter(pk__in=[by_sms.pk, by_mail.pk]).update(
        state=MessageState.SENDING, sending_since=long_ago
    )
    assert sweep_messages() == {"requeued": 1, "resent": 1, "unknown": 1}
    by_sms.refresh_from_db(), by_mail.refresh_from_db()
    assert by_sms.state == MessageState.QUEUED
    assert by_mail.state == MessageState.FAILED and "tin có thể đã đến hoặc chưa" in by_mail.error
    assert deliver(by_sms.pk) == MessageState.SENT and deliver(lost.pk) == MessageState.SENT
