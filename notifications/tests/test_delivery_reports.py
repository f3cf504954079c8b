"""Delivery reports: eSMS's callback and Zalo's signed OA webhook mark a message delivered (or
failed with the provider's reason) — once, never backwards, unknown ids and forgeries ignored."""

import json
import time
import urllib.parse

import pytest

from notifications.models import Message, MessageState
from notifications.services import send
from notifications.testing.stubs import SmsStub, ZaloStub, sms_settings, zalo_settings, zalo_signature
from organizations.models import ContactChannel
from organizations.tests.factories import OfficerFactory

SECRET = "s3cret-path-9f2c"
SMS_CALLBACK = f"/notifications/callbacks/sms/{SECRET}/"
ZNS_CALLBACK = "/notifications/callbacks/zns/"


@pytest.fixture
def reporting(settings):
    """Both providers configured with their report settings (no stub needed for the endpoints)."""
    with SmsStub() as sms, ZaloStub() as zalo:
        settings.NOTIFY_SMS = sms_settings(sms, callback_secret=SECRET)
        settings.NOTIFY_ZALO = zalo_settings(zalo)
        yield


def message(channel=ContactChannel.SMS, state=MessageState.SENT, provider_id="sms-7", **fields):
    return Message.objects.create(
        kind="reminder",
        channel=channel,
        address="+84912345678",
        state=state,
        provider_message_id=provider_id,
        idempotency_key=fields.pop("key", f"key-{provider_id}"),
        **fields,
    )


def esms(client, method="get", url=SMS_CALLBACK, **fields):
    """eSMS's callback for one SMS (its documented fields; a GET as eSMS makes it)."""
    report = {
        "SMSID": "sms-7",
        "SendFailed": "0",
        "SendStatus": "5",
        "SendSuccess": "1",
        "TotalPrice": "0.0000",
        "TotalReceiver": "1",
        "TotalSent": "1",
        "RequestId": "",
        "TypeId": "2",
        "telcoid": "1",
        "phonenumber": "0912345678",
        **fields,
    }
    if method == "get":
        return client.get(url, report)
    return client.post(url, report)


def zalo_event(msg_id="zns-3", tracking_id="", event_name="user_received_message", app_id=ZaloStub.APP_ID):
    timestamp = "1733560000123"
    event = {
        "app_id": app_id,
        "event_name": event_name,
        "timestamp": timestamp,
        "sender": {"id": "579745863508352884"},
        "recipient": {"id": "2512523625412515"},
        "message": {"msg_id": msg_id, "tracking_id": tracking_id, "delivery_time": timestamp},
    }
    raw = json.dumps(event).encode()
    return raw, zalo_signature(raw, app_id, timestamp, ZaloStub.OA_SECRET_KEY)


def zns(client, raw, signature):
    return client.post(ZNS_CALLBACK, raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=signature)


@pytest.mark.django_db
def test_an_esms_report_marks_the_message_delivered_once(client, reporting):
    row = message()
    assert esms(client).status_code == 200
    row.refresh_from_db()
    assert row.state == MessageState.DELIVERED and row.delivered_at is not None
    first = row.delivered_at
    assert esms(client).status_code == 200  # eSMS retries a report: twice is once
    row.refresh_from_db()
    assert row.state == MessageState.DELIVERED and row.delivered_at == first


@pytest.mark.django_db
def test_an_esms_report_read_from_a_post_as_well(client, reporting):
    row = message()
    assert esms(client, method="post").status_code == 200
    row.refresh_from_db()
    assert row.state == MessageState.DELIVERED


@pytest.mark.django_db
def test_an_undelivered_sms_fails_with_the_reason_and_delivered_stays_delivered(client, reporting):
    failed, delivered = (
        message(provider_id="sms-8"),
        message(provider_id="sms-9", state=MessageState.DELIVERED),
    )
    for sms_id in ("sms-8", "sms-9"):
        assert esms(client, SMSID=sms_id, SendSuccess="0", SendFailed="1").status_code == 200
    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert failed.state == MessageState.FAILED and failed.error == "eSMS: not delivered (SendStatus 5)"
    assert delivered.state == MessageState.DELIVERED and delivered.error == ""
    # A rejection report with the gateway's detail; the failed one is not failed again.
    assert (
        esms(client, SMSID="sms-8", SendStatus="4", SendSuccess="0", error_info="blocked").status_code == 200
    )
    failed.refresh_from_db()
    assert failed.error == "eSMS: not delivered (SendStatus 5)"
    rejected = message(provider_id="sms-10")
    esms(client, SMSID="sms-10", SendStatus="4", SendSuccess="0", SendFailed="1", error_info="blocked")
    rejected.refresh_from_db()
    assert rejected.state == MessageState.FAILED
    assert rejected.error == "eSMS: rejected by the gateway (SendStatus 4): blocked"


@pytest.mark.django_db
def test_a_pending_report_and_an_unknown_id_change_nothing(client, reporting):
    row = message()
    for status in ("1", "2", "7"):
        assert esms(client, SendStatus=status, SendSuccess="0").status_code == 200
    assert esms(client, SMSID="sms-unknown").status_code == 200
    row.refresh_from_db()
    assert row.state == MessageState.SENT and row.delivered_at is None
    # A report for the id of another channel's message is not this one's.
    zalo_row = message(channel=ContactChannel.ZALO, provider_id="sms-11")
    esms(client, SMSID="sms-11")
    zalo_row.refresh_from_db()
    assert zalo_row.state == MessageState.SENT


@pytest.mark.django_db
def test_a_wrong_or_unset_secret_is_refused_and_changes_nothing(client, reporting, settings):
    row = message()
    assert esms(client, url="/notifications/callbacks/sms/guess/").status_code == 403
    settings.NOTIFY_SMS = {**settings.NOTIFY_SMS, "callback_secret": ""}
    assert esms(client).status_code == 403
    row.refresh_from_db()
    assert row.state == MessageState.SENT


@pytest.mark.django_db
def test_a_signed_zalo_delivery_event_marks_the_message_delivered_once(client, reporting):
    row = message(channel=ContactChannel.ZALO, provider_id="zns-3")
    raw, signature = zalo_event()
    assert zns(client, raw, signature).status_code == 200
    row.refresh_from_db()
    assert row.state == MessageState.DELIVERED
    first = row.delivered_at
    assert zns(client, raw, signature).status_code == 200
    row.refresh_from_db()
    assert row.delivered_at == first


@pytest.mark.django_db
def test_a_forged_or_foreign_zalo_event_is_refused_and_changes_nothing(client, reporting, settings):
    row = message(channel=ContactChannel.ZALO, provider_id="zns-3")
    raw, signature = zalo_event()
    tampered = raw.replace(b"zns-3", b"zns-4")
    assert zns(client, tampered, signature).status_code == 403
    assert zns(client, raw, "").status_code == 403
    assert zns(client, raw, "mac=" + "0" * 64).status_code == 403
    assert zns(client, b"not json", signature).status_code == 403
    other_app, other_signature = zalo_event(app_id="999")
    assert zns(client, other_app, other_signature).status_code == 403
    settings.NOTIFY_ZALO = {**settings.NOTIFY_ZALO, "oa_secret_key": ""}
    assert zns(client, raw, signature).status_code == 403
    assert client.get(ZNS_CALLBACK).status_code == 405
    row.refresh_from_db()
    assert row.state == MessageState.SENT


@pytest.mark.django_db
def test_other_zalo_events_and_unknown_ids_answer_200_and_change_nothing(client, reporting):
    row = message(channel=ContactChannel.ZALO, provider_id="zns-3")
    for raw, signature in (zalo_event(event_name="user_seen_message"), zalo_event(msg_id="zns-404")):
        assert zns(client, raw, signature).status_code == 200
    row.refresh_from_db()
    assert row.state == MessageState.SENT


@pytest.mark.django_db
def test_a_delivery_report_settles_a_message_the_sweep_could_not(client, reporting):
    # The worker died mid-send; the sweep failed it "may or may not have arrived". Zalo says it did.
    row = message(channel=ContactChannel.ZALO, provider_id="", key="k-lost", state=MessageState.FAILED)
    raw, signature = zalo_event(msg_id="zns-5", tracking_id="k-lost")
    assert zns(client, raw, signature).status_code == 200
    row.refresh_from_db()
    assert (row.state, row.provider_message_id, row.error) == (MessageState.DELIVERED, "zns-5", "")


@pytest.mark.django_db
def test_the_sent_messages_page_shows_delivered(client, admin_auditor, reporting):
    message(state=MessageState.DELIVERED)
    client.force_login(admin_auditor)
    html = client.get("/admin/notifications/messages/").content.decode()
    assert "Đã nhận" in html


# --- Over HTTP: the real adapters send to the stub providers, which report back to the live server.


def wait_for_state(pk: int, state: str, timeout: float = 10) -> Message:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Message.objects.get(pk=pk)
        if row.state == state:
            return row
        time.sleep(0.05)
    return Message.objects.get(pk=pk)


def remind(officer):
    return send(
        "reminder", officer=officer, subject="Nhắc nhở", body="…", params={"name": "An"}, deliver_now=True
    )


@pytest.mark.django_db(transaction=True)
def test_sms_sent_to_the_stub_is_reported_delivered_over_http(live_server, settings, tree):
    settings.SITE_URL = live_server.url
    with SmsStub() as stub:
        settings.NOTIFY_SMS = sms_settings(stub, callback_secret=SECRET)
        sent = remind(OfficerFactory(unit=tree["ga"], phone="+84912345678"))
        assert sent.channel == ContactChannel.SMS
        (body,) = stub.sent
        assert body["CallbackUrl"] == f"{live_server.url}{SMS_CALLBACK}"
        (report,) = stub.wait_for_reports(1)
        assert report["status"] == 200
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(report["url"]).query)["SMSID"] == ["sms-1"]
    row = wait_for_state(sent.pk, MessageState.DELIVERED)
    assert row.state == MessageState.DELIVERED and row.provider_message_id == "sms-1"


@pytest.mark.django_db(transaction=True)
def test_an_sms_the_operator_could_not_deliver_fails_over_http(live_server, settings, tree):
    settings.SITE_URL = live_server.url
    with SmsStub() as stub:
        settings.NOTIFY_SMS = sms_settings(stub, callback_secret=SECRET)
        stub.undelivered_phones.add("84912345678")
        sent = remind(OfficerFactory(unit=tree["ga"], phone="+84912345678"))
        stub.wait_for_reports(1)
    row = wait_for_state(sent.pk, MessageState.FAILED)
    assert row.state == MessageState.FAILED and "not delivered" in row.error


@pytest.mark.django_db(transaction=True)
def test_zns_sent_to_the_stub_is_reported_delivered_by_a_signed_event(live_server, settings, tree):
    with ZaloStub() as stub:
        settings.NOTIFY_ZALO = zalo_settings(stub)
        stub.webhook_url = f"{live_server.url}{ZNS_CALLBACK}"
        # A fast provider: the event arrives before the answer to the send (found by tracking_id).
        stub.report_before_answer = True
        sent = remind(OfficerFactory(unit=tree["ga"], phone="+84912345678"))
        (report,) = stub.wait_for_reports(1)
        assert report["status"] == 200
    row = Message.objects.get(pk=sent.pk)
    assert row.channel == ContactChannel.ZALO
    # The worker's own "sent" came after the report and did not move it back.
    assert (row.state, row.provider_message_id) == (MessageState.DELIVERED, "zns-1")
    assert row.sent_at is not None and row.delivered_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_zalo_event_signed_with_another_key_is_refused_over_http(live_server, settings, tree):
    with ZaloStub() as stub:
        settings.NOTIFY_ZALO = zalo_settings(stub)
        stub.webhook_url = f"{live_server.url}{ZNS_CALLBACK}"
        stub.oa_secret_key = "someone-else"
        sent = remind(OfficerFactory(unit=tree["ga"], phone="+84912345678"))
        (report,) = stub.wait_for_reports(1)
    assert report["status"] == 403
    assert Message.objects.get(pk=sent.pk).state == MessageState.SENT
