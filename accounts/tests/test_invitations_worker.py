"""Many invitations at once go out through a real Celery worker: one e-mail each, never two."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import invitations as services
from accounts.models import Invitation
from accounts.tasks import send_invitations
from accounts.tests.test_invitations import invite
from lms.testing.servers import celery_worker, mails_in, wait_for
from organizations.models import Officer
from organizations.tests import worker_settings
from organizations.tests.factories import OfficerFactory

pytestmark = pytest.mark.worker

MANY = services.INLINE_SEND_LIMIT + 10


def body_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


@pytest.mark.django_db(transaction=True)
def test_many_invitations_are_sent_by_the_worker_once_each(client, auditor, tree, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    officers = [OfficerFactory(unit=tree["ga"], email=f"can.bo.{n}@example.vn") for n in range(MANY)]
    worker_env = {"DJANGO_SETTINGS_MODULE": worker_settings.__name__, "LMS_TEST_MAIL_DIR": str(mail_dir)}

    with celery_worker(worker_env):
        response = invite(client, auditor, all="1", confirmed="1")
        assert f"Đang gửi {MANY} lời mời" in response.text  # queued, not claimed as sent yet
        ids = list(Invitation.objects.values_list("pk", flat=True))
        assert len(ids) == MANY
        wait_for(
            lambda: Invitation.objects.filter(sent_at__isnull=False).count() == MANY,
            90,
            "the worker to send every invitation",
        )
        # Inviting everyone again makes nothing new; re-running the batch sends nothing more.
        again = invite(client, auditor, all="1")
        assert "Đã gửi 0 lời mời" in again.text and f"Bỏ qua {MANY} người" in again.text
        assert send_invitations.delay(ids).get(timeout=60) == {"sent": 0, "failed": 0}

    messages = mails_in(mail_dir)
    recipients = sorted(m["To"] for m in messages)
    assert recipients == sorted(o.email for o in officers)  # every officer, exactly once
    for invitation in Invitation.objects.select_related("officer"):
        assert invitation.email == invitation.officer.email
        assert invitation.send_count == 1 and invitation.send_error == ""
    # Each mail carries its own officer's live link, and signing up through it links the account.
    message = next(m for m in messages if m["To"] == "can.bo.7@example.vn")
    body = body_of(message)
    invitation = Invitation.objects.get(officer=officers[7])
    link = reverse("accounts:invitation_accept", args=[invitation.key])
    assert link in body and "Kính gửi" in body
    client.logout()
    password = "Hoc-tap-2026!x"
    client.post(link, {"email": "can.bo.7@example.vn", "password1": password, "password2": password})
    assert Officer.objects.get(pk=officers[7].pk).user == get_user_model().objects.get(
        email="can.bo.7@example.vn"
    )
