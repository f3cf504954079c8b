"""Forgotten password by SMS: when a gateway is set up, an officer asks for a code on their phone.

The gateway is the eSMS-shaped stub of ``notifications.testing`` on a loopback port; the real
adapter talks to it over HTTP, as it would to the provider.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import PasswordResetCode
from notifications.models import Message, MessageKind, MessageState
from notifications.services import deliver
from notifications.testing.stubs import SmsStub, sms_settings
from organizations.tests.factories import OfficerFactory

NEW_PASSWORD = "Mat-khau-moi-2026"
SENT_CODE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")


@pytest.fixture
def sms(settings):
    settings.NOTIFY_CONSOLE = False
    settings.NOTIFY_HTTP_TIMEOUT = 1
    with SmsStub(timeout_delay=2) as stub:
        settings.NOTIFY_SMS = sms_settings(stub)
        yield stub


@pytest.fixture
def officer(tree):
    user = get_user_model().objects.create_user(username="phone-0912345678", email="", password="Old-1234x")
    return OfficerFactory(unit=tree["ga"], user=user, email="", phone="0912 345 678")


def ask(client, phone):
    return client.post(reverse("password_reset_code_sms"), {"phone": phone})


def delivered_messages():
    """Deliver what the view queued, as the worker does; the stub records what reached it."""
    for message in Message.objects.filter(kind=MessageKind.RESET_CODE, state=MessageState.QUEUED):
        deliver(message.pk)
    return Message.objects.filter(kind=MessageKind.RESET_CODE)


def test_an_officer_gets_a_code_by_sms_and_signs_in_with_it(client, sms, officer):
    page = client.get(reverse("password_reset_code")).text
    assert "Gửi mã cho tôi qua SMS" in page
    response = ask(client, "0912.345.678")
    assert response.status_code == 200
    assert "mã đang được gửi qua SMS" in response.text
    (message,) = delivered_messages()
    assert message.state == MessageState.SENT and message.channel == "sms"
    (sent,) = sms.sent
    assert sent["Phone"] == "84912345678"
    code = SENT_CODE.search(sent["Content"]).group(1)
    row = PasswordResetCode.objects.get(officer=officer)
    assert row.issued_by is None and code.replace("-", "") not in row.code_hash

    response = client.post(
        reverse("password_reset_code"),
        {"phone": "0912345678", "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == reverse("learn:dashboard")
    officer.user.refresh_from_db()
    assert officer.user.check_password(NEW_PASSWORD)


def test_a_number_without_an_account_gets_the_same_answer_and_no_sms(client, sms, officer, tree):
    OfficerFactory(unit=tree["ga"], phone="0987 654 321")  # on the roster, no account
    answers = [ask(client, phone).text for phone in ("0987654321", "0911111111", "0912345678")]
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert (
        len(
            {
                strip.sub("", a)
                .replace("0987654321", "N")
                .replace("0911111111", "N")
                .replace("0912345678", "N")
                for a in answers
            }
        )
        == 1
    )
    delivered_messages()
    assert [s["Phone"] for s in sms.sent] == ["84912345678"]


def test_a_double_submit_sends_one_sms_and_the_hourly_limit_holds(client, sms, officer):
    ask(client, "0912345678")
    ask(client, "0912345678")
    assert len(delivered_messages()) == 1
    for _ in range(8):
        ask(client, "0912345678")
    assert ask(client, "0912345678").status_code == 429


def test_an_impossible_number_is_refused_on_the_form(client, sms, officer):
    response = ask(client, "12345")
    assert response.status_code == 200 and "errorlist" in response.text
    assert not Message.objects.exists()


def test_without_an_sms_gateway_the_page_offers_only_the_managers_code(client, settings, db):
    settings.NOTIFY_CONSOLE = False
    settings.NOTIFY_SMS = {}
    assert "Gửi mã cho tôi qua SMS" not in client.get(reverse("password_reset_code")).text
    assert ask(client, "0912345678").status_code == 404
