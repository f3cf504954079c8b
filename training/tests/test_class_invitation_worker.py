"""Inviting 1,000 officers at once is a worker's batch with a progress bar, not a long request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.testing.servers import celery_worker, mails_in, wait_for
from notifications.models import Message, MessageKind
from organizations.tests import worker_settings
from organizations.tests.factories import OfficerFactory
from training.models import ClassInvitation, InPersonClass, InvitationBatch

pytestmark = pytest.mark.worker

MANY = 1000


@pytest.mark.django_db(transaction=True)
def test_a_thousand_invitations_go_through_the_worker(client, manager_a, tree, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    for n in range(MANY):
        OfficerFactory(unit=tree["ga"], email=f"cb{n}@example.vn")
    day = timezone.localdate() + timedelta(days=7)
    client.force_login(manager_a)
    worker_env = {"DJANGO_SETTINGS_MODULE": worker_settings.__name__, "LMS_TEST_MAIL_DIR": str(mail_dir)}
    with celery_worker(worker_env):
        response = client.post(
            reverse("training:class_invite"),
            {
                "roster": "CS-A",
                "title": "Tập huấn toàn quận",
                "date": day.isoformat(),
                "start_time": "08:00",
                "end_time": "11:00",
                "organising_unit": str(tree["a"].pk),
                "capacity": "300",
            },
        )
        batch = InvitationBatch.objects.get()
        assert response.status_code == 302 and response.url == reverse(
            "training:invitation_batch", args=[batch.pk]
        )
        page = client.get(response.url)
        assert 'data-job-status-url="' in page.text and "core/js/job-progress.js" in page.text
        wait_for(
            lambda: InvitationBatch.objects.filter(pk=batch.pk, status="done").exists(),
            240,
            "the worker to send the batch",
            state=lambda: InvitationBatch.objects.values("status", "progress", "invited", "error").get(),
        )
        payload = client.get(response.url, {"format": "json"}).json()
        assert payload["status"] == "done" and payload["progress"] == 100 and not payload["running"]
        klass = InPersonClass.objects.get(title="Tập huấn toàn quận")
        assert ClassInvitation.objects.filter(in_person_class=klass).count() == MANY
        assert Message.objects.filter(kind=MessageKind.CLASS_NOTICE).count() == MANY
        wait_for(
            lambda: Message.objects.filter(kind=MessageKind.CLASS_NOTICE, state="sent").count() == MANY,
            240,
            "every invitation to be delivered",
        )
    messages = mails_in(mail_dir)
    assert len(messages) == MANY and len({m["To"] for m in messages}) == MANY  # once each
    parts = [p.get_content_type() for p in messages[0].walk()]
    assert "text/calendar" in parts
