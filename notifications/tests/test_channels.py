"""The real adapters against the stub providers over HTTP: success, each error, the token refresh."""

from django.core import mail

from notifications import crypto
from notifications.models import Message, MessageState, ProviderToken
from notifications.services import deliver, send
from organizations.models import ContactChannel
from organizations.tests.factories import OfficerFactory

PHONE = "+84912345678"


def remind(officer, **kwargs):
    return send(
        "reminder",
        officer=officer,
        subject="Nhắc nhở: việc học năm 2026 của bạn chưa xong",
        body="Kính gửi …",
        params={
            "name": "Đào Thị Hương",
            "year": 2026,
            "deadline": "31/12/2026",
            "url": "https://hl.vn/learn/",
        },
        **kwargs,
    )


def test_zns_sends_the_template_with_the_phone_and_tracking_id(tree, zalo):
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE, email="huong@example.vn")
    message = remind(officer, deliver_now=True)
    assert (message.channel, message.state) == (ContactChannel.ZALO, MessageState.SENT)
    (sent,) = zalo.sent
    assert sent["phone"] == "84912345678" and sent["template_id"] == "301001"
    assert (
        sent["template_data"]["name"] == "Đào Thị Hương" and sent["template_data"]["deadline"] == "31/12/2026"
    )
    assert sent["tracking_id"] == message.idempotency_key
    assert message.provider_message_id == sent["msg_id"]
    assert zalo.requests[0]["headers"]["access_token"] == "access-1"
    assert mail.outbox == []  # one channel, not all of them


def test_an_expired_zalo_token_is_refreshed_once_and_stored_encrypted(tree, zalo):
    zalo.expire_access_token()
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE)
    message = remind(officer, deliver_now=True)
    assert message.state == MessageState.SENT and len(zalo.sent) == 1
    assert [r["path"] for r in zalo.requests] == [
        "/message/template",
        "/v4/oa/access_token",
        "/message/template",
    ]
    row = ProviderToken.objects.get(provider="zalo")
    # Stored encrypted: the database never holds the token in clear, and decrypts to the new pair.
    assert "access-2" not in row.access_token and "refresh-2" not in row.refresh_token
    assert (crypto.decrypt(row.access_token), crypto.decrypt(row.refresh_token)) == ("access-2", "refresh-2")
    assert row.expires_at is not None
    # The next message uses the stored token without refreshing again.
    remind(OfficerFactory(unit=tree["ga"], phone="+84912000111"), deliver_now=True)
    assert [r["path"] for r in zalo.requests][-1] == "/message/template" and len(zalo.requests) == 4


def test_a_refused_refresh_leaves_the_message_queued_for_later(tree, zalo, settings):
    zalo.expire_access_token()
    zalo.refresh_tokens.clear()  # spent elsewhere: Zalo refuses it
    message = remind(OfficerFactory(unit=tree["ga"], phone=PHONE), deliver_now=True)
    assert message.state == MessageState.QUEUED and message.attempts == 1
    assert "refresh refused" in message.error
    assert message.next_attempt_at is not None


def test_an_invalid_phone_on_zalo_falls_back_to_the_next_channel(tree, zalo, sms):
    zalo.invalid_phones.add("84912345678")
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE, email="huong@example.vn")
    message = remind(officer, deliver_now=True)
    # Zalo refused it for good: it moved to the next channel, queued for the worker (run here).
    assert (message.channel, message.state) == (ContactChannel.SMS, MessageState.QUEUED)
    assert "Zalo -108" in message.error and message.fallbacks == [["email", "huong@example.vn"]]
    assert deliver(message.pk) == MessageState.SENT
    assert len(sms.sent) == 1 and zalo.sent == []


def test_zalo_quota_and_timeouts_are_retried_later_not_failed(tree, zalo):
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE)
    zalo.fail_next("quota")
    message = remind(officer, deliver_now=True)
    assert (message.state, message.attempts) == (MessageState.QUEUED, 1)
    assert "Zalo -144" in message.error
    zalo.fail_next("timeout")
    Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert deliver(message.pk) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.attempts == 2 and "No answer within 1 s" in message.error
    assert message.next_attempt_at > message.created_at
    Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert deliver(message.pk) == MessageState.SENT
    assert len(zalo.sent) == 1


def test_sms_sends_unaccented_text_with_the_brand_name_and_request_id(tree, sms):
    officer = OfficerFactory(unit=tree["ga"], phone="0912 345 678")
    message = remind(officer, deliver_now=True)
    assert (message.channel, message.state) == (ContactChannel.SMS, MessageState.SENT)
    (sent,) = sms.sent
    assert sent["Phone"] == "84912345678" and sent["Brandname"] == "CONGDOANHN"
    assert sent["RequestId"] == message.idempotency_key and sent["IsUnicode"] == "0"
    assert "Dao Thi Huong" in sent["Content"] and "2026" in sent["Content"]
    assert sent["Content"].isascii()
    assert message.provider_message_id == "sms-1"


def test_sms_invalid_phone_fails_with_the_gateways_reason(tree, sms):
    sms.invalid_phones.add("84912345678")
    message = remind(OfficerFactory(unit=tree["ga"], phone=PHONE), deliver_now=True)
    assert message.state == MessageState.FAILED
    assert message.error == "SMS 108: Phone number is not in correct format"


def test_sms_quota_500_and_timeout_are_temporary(tree, sms):
    officer = OfficerFactory(unit=tree["ga"], phone=PHONE)
    for failure, reason in [("quota", "SMS 103"), ("server_error", "HTTP 500"), ("timeout", "No answer")]:
        sms.fail_next(failure)
        message = remind(officer, deliver_now=True, dedupe_key=failure)
        assert message.state == MessageState.QUEUED and reason in message.error
    assert sms.sent == []


def test_a_repeated_request_id_counts_as_sent_once(tree, sms):
    message = remind(OfficerFactory(unit=tree["ga"], phone=PHONE))
    assert deliver(message.pk) == MessageState.SENT
    # As after a lost worker: the same message is sent again; the gateway recognises it.
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.QUEUED, next_attempt_at=message.created_at
    )
    assert deliver(message.pk) == MessageState.SENT
    assert len(sms.sent) == 1 and sms.requests[-1]["body"]["RequestId"] == message.idempotency_key
