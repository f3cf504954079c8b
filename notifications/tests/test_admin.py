"""“Tin đã gửi”: the list with its filters and errors, scoped to the manager; retrying a failed message."""

import re

import pytest
from django.core import mail

from notifications.models import Message, MessageState
from notifications.services import send
from organizations.tests.factories import OfficerFactory

INDEX = "/admin/notifications/messages/"


def rows(html: str) -> list[str]:
    return re.findall(r'data-retry="(\d+)"', html)


@pytest.fixture
def messages_sent(tree, settings):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.RefusingBackend"
    inside = OfficerFactory(unit=tree["ga"], email="down.an@example.vn", given_name="An")
    outside = OfficerFactory(unit=tree["gb"], email="down.binh@example.vn", given_name="Bình")
    ok = OfficerFactory(unit=tree["ga"], email="chi@example.vn", given_name="Chi")
    made = {
        "inside": send("reminder", officer=inside, subject="Nhắc nhở", deliver_now=True),
        "outside": send("reminder", officer=outside, subject="Nhắc nhở", deliver_now=True),
        "ok": send("certificate_ready", officer=ok, subject="Giấy chứng nhận", deliver_now=True),
        "auditors": send(
            "certificate_failed", address="down.auditor@example.vn", subject="x", deliver_now=True
        ),
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return made


def test_auditors_see_every_message_with_its_error_and_filter_them(client, admin_auditor, messages_sent):
    client.force_login(admin_auditor)
    html = client.get(INDEX).content.decode()
    assert "Tin đã gửi" in html
    assert "SMTPRecipientsRefused" in html and "down.auditor@example.vn" in html
    assert sorted(rows(html)) == sorted(
        str(messages_sent[k].pk) for k in ("inside", "outside", "auditors")
    )  # a Retry button on each failed one, none on the sent one
    failed = client.get(INDEX, {"state": "failed", "kind": "reminder"}).content.decode()
    assert "chi@example.vn" not in failed and "down.an@example.vn" in failed
    assert "down.auditor@example.vn" not in failed


def test_a_manager_sees_and_retries_only_their_subtree(client, admin_manager, messages_sent):
    client.force_login(admin_manager)
    html = client.get(INDEX).content.decode()
    assert "down.an@example.vn" in html and "chi@example.vn" in html
    assert "down.binh@example.vn" not in html and "down.auditor@example.vn" not in html
    outside = messages_sent["outside"]
    assert client.post(f"{INDEX}retry/{outside.pk}/").status_code == 404
    assert client.get(f"{INDEX}inspect/{outside.pk}/").status_code == 404
    inside = messages_sent["inside"]
    key = inside.idempotency_key
    # The roster is corrected, then the message retried: same row, same key, sent by the worker.
    inside.officer.email = "an@example.vn"
    inside.officer.save()
    response = client.post(f"{INDEX}retry/{inside.pk}/", follow=True)
    assert "Tin sẽ được gửi lại." in response.content.decode()
    inside.refresh_from_db()
    assert (inside.state, inside.idempotency_key, inside.address) == (
        MessageState.QUEUED,
        key,
        "an@example.vn",
    )
    from notifications.services import deliver

    assert deliver(inside.pk) == MessageState.SENT and mail.outbox[-1].to == ["an@example.vn"]
    assert client.get(f"{INDEX}retry/{inside.pk}/").status_code == 405  # POST only


def test_learners_cannot_open_the_page(client, learner, messages_sent):
    client.force_login(learner)
    assert client.get(INDEX).status_code in (302, 403)


def test_the_list_costs_the_same_queries_for_few_and_many(
    client, admin_auditor, tree, django_assert_max_num_queries
):
    client.force_login(admin_auditor)

    def make(count):
        for n in range(count):
            officer = OfficerFactory(
                unit=tree["ga"], email=f"can.bo.{n}.{Message.objects.count()}@example.vn"
            )
            send("reminder", officer=officer, subject="x", deliver_now=True)

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200
    make(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(INDEX).status_code == 200
