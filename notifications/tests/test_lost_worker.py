"""A worker killed with -9 while it sends: every message reaches the stub providers exactly once.

Ten reminders go out, five by SMS and five by Zalo, through a real Celery worker to stub servers
that answer slowly (1 s). The worker group is killed mid-send; a new worker with beat (the sweep
every 2 s) finishes the work. SMS messages caught in flight are sent again with the same
RequestId, which the gateway recognises; Zalo messages caught in flight cannot be recognised by
Zalo, so they are failed with "may or may not have arrived" rather than sent twice.
"""

import os
import signal
import time
from collections import Counter

import pytest

from lms.testing.servers import celery_worker, wait_for
from notifications.models import Message, MessageState
from notifications.services import send
from notifications.testing.stubs import SmsStub, ZaloStub
from organizations.tests import worker_settings
from organizations.tests.factories import OfficerFactory

pytestmark = pytest.mark.worker


def worker_env(zalo: ZaloStub, sms: SmsStub) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": worker_settings.__name__,
        "SMS_URL": f"{sms.url}/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        "SMS_API_KEY": sms.API_KEY,
        "SMS_SECRET_KEY": sms.SECRET_KEY,
        "SMS_BRANDNAME": "CONGDOANHN",
        "ZALO_APP_ID": zalo.APP_ID,
        "ZALO_SECRET_KEY": zalo.SECRET_KEY,
        "ZALO_ACCESS_TOKEN": "access-1",
        "ZALO_REFRESH_TOKEN": "refresh-1",
        "ZALO_API_URL": f"{zalo.url}/message/template",
        "ZALO_OAUTH_URL": f"{zalo.url}/v4/oa/access_token",
        "ZALO_TEMPLATE_REMINDER": "301001",
        "NOTIFY_HTTP_TIMEOUT": "2",
        "JOB_STALE_SECONDS": "3",
        "JOB_SWEEP_SECONDS": "2",
    }


def outstanding() -> int:
    return Message.objects.filter(state__in=[MessageState.QUEUED, MessageState.SENDING]).count()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_never_sends_a_message_twice(tree, settings):
    with ZaloStub() as zalo, SmsStub() as sms:
        zalo.delay = sms.delay = 1.0  # slow providers: the kill lands while requests are in flight
        env = worker_env(zalo, sms)
        # This process makes the rows; its settings name the same channels the worker will use.
        settings.NOTIFY_SMS = {**settings.NOTIFY_SMS, "url": env["SMS_URL"]}
        settings.NOTIFY_ZALO = {**settings.NOTIFY_ZALO, "app_id": zalo.APP_ID, "secret_key": "x",
                                "templates": {"reminder": "301001"}}  # fmt: skip
        officers = [
            OfficerFactory(
                unit=tree["ga"],
                phone=f"+8491200{n:04d}",
                email="",
                preferred_channel="sms" if n % 2 == 0 else "zalo",
            )
            for n in range(10)
        ]
        with celery_worker(env, concurrency=2) as worker:
            messages = [
                send("reminder", officer=o, subject="Nhắc nhở", params={"name": o.full_name})
                for o in officers
            ]
            assert Counter(m.channel for m in messages) == {"sms": 5, "zalo": 5}
            wait_for(
                lambda: (
                    len(sms.requests) + len(zalo.requests) >= 3
                    and Message.objects.filter(state=MessageState.SENDING).exists()
                ),
                60,
                "the worker to be sending",
            )
            os.killpg(worker.pid, signal.SIGKILL)
            killed_at = time.monotonic()
            worker.wait(timeout=10)
        in_flight = Message.objects.filter(state=MessageState.SENDING).count()
        assert in_flight >= 1 and outstanding() > in_flight  # caught mid-send, with work still queued

        with celery_worker(env, concurrency=2, beat=True):
            wait_for(lambda: outstanding() == 0, 90, "every message to be settled", state=outstanding)
            healed_in = time.monotonic() - killed_at
            time.sleep(2)  # a duplicate, if one were queued, would arrive now

    by_sms = Counter(body["RequestId"] for body in sms.sent)
    by_zalo = Counter(body["tracking_id"] for body in zalo.sent)
    for message in Message.objects.all():
        copies = (by_sms if message.channel == "sms" else by_zalo)[message.idempotency_key]
        # Exactly once at the provider, whatever the row says.
        assert copies == 1, (message.channel, message.state, message.error)
        if message.channel == "sms":
            assert message.state == MessageState.SENT
        else:
            assert message.state == MessageState.SENT or (
                message.state == MessageState.FAILED and "có thể đã đến hoặc chưa" in message.error
            )
    assert sum(by_sms.values()) == 5 and sum(by_zalo.values()) == 5
    states = Counter(Message.objects.values_list("channel", "state"))
    print(f"settled in {healed_in:.1f} s after the kill, {in_flight} in flight: {dict(states)}")
