"""Invitations to a class: answers, the waiting list in order, removal, capacity, messages."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.models import Message, MessageKind
from notifications.services import deliver
from organizations.tests.factories import OfficerFactory
from training.classes import invitations
from training.models import ClassInvitation, InvitationState

from .class_factories import ClassSessionFactory, InPersonClassFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE = datetime(2026, 3, 1, 9, 0, tzinfo=HANOI)


@pytest.fixture
def klass(tree):
    klass = InPersonClassFactory(organising_unit=tree["a"], capacity=1)
    ClassSessionFactory(
        in_person_class=klass, date=date(2026, 3, 10), start_time=time(8), end_time=time(11, 30)
    )
    return klass


@pytest.fixture
def officers(tree):
    return [
        OfficerFactory(unit=tree["ga"], email=f"o{i}@example.vn", given_name=name)
        for i, name in enumerate(["An", "Bình", "Cường"])
    ]


def state(officer, klass):
    return ClassInvitation.objects.get(officer=officer, in_person_class=klass).state


def test_invite_is_idempotent_and_announced(klass, officers, manager_a):
    if True:
        assert (
            invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in officers], by=manager_a) == 3
        )
        assert invitations.invite(in_person_class=klass, officer_ids=[officers[0].pk], by=manager_a) == 0
    assert ClassInvitation.objects.filter(in_person_class=klass).count() == 3
    notices = Message.objects.filter(kind=MessageKind.CLASS_NOTICE)
    assert notices.count() == 3
    for message in notices:
        deliver(message.pk)
    sent = [m for m in mail.outbox if m.to == ["o0@example.vn"]]
    assert len(sent) == 1 and "/training/invitations/" in sent[0].body
    name, ics, mimetype = sent[0].attachments[0]
    assert (
        mimetype == "text/calendar"
        and "BEGIN:VEVENT" in ics
        and "DTSTART;TZID=Asia/Ho_Chi_Minh:20260310T080000" in ics
    )


def test_over_capacity_waits_and_is_promoted_in_order(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in officers])
    rows = {i.officer_id: i for i in ClassInvitation.objects.all()}
    first, second, third = (rows[o.pk] for o in officers)
    invitations.respond(invitation=first, accept=True, now=BEFORE)
    invitations.respond(invitation=third, accept=True, now=BEFORE.replace(minute=1))
    invitations.respond(invitation=second, accept=True, now=BEFORE.replace(minute=2))
    assert [state(o, klass) for o in officers] == ["accepted", "waitlisted", "waitlisted"]
    # The first declines: the oldest in line (the third, who answered earlier) gets the place.
    invitations.respond(invitation=first, accept=False, now=BEFORE.replace(minute=3))
    assert [state(o, klass) for o in officers] == ["declined", "waitlisted", "accepted"]
    # Removal promotes the next.
    invitations.remove(invitation=ClassInvitation.objects.get(pk=third.pk))
    assert [state(o, klass) for o in officers] == ["declined", "accepted", "removed"]
    events = list(Message.objects.filter(officer=officers[1]).values_list("dedupe_key", flat=True))
    assert any(k.endswith(":waitlisted") for k in events) and any(k.endswith(":promoted") for k in events)


def test_someone_taken_off_the_list_can_be_invited_again_with_a_new_link(klass, officers, manager_a):
    """Only a removal is undone by inviting again; any answer stays as it is. The new invitation
    has a new answer link, and the old link (kept in a message) no longer opens anything."""
    taken_off, declined = officers[0], officers[1]
    invitations.invite(in_person_class=klass, officer_ids=[taken_off.pk, declined.pk], by=manager_a)
    first = ClassInvitation.objects.get(officer=taken_off)
    old_token = invitations.response_token(first)
    invitations.respond(invitation=first, accept=True, now=BEFORE, by_link=True)
    invitations.remove(invitation=first)
    invitations.respond(invitation=ClassInvitation.objects.get(officer=declined), accept=False, now=BEFORE)
    invited_before = Message.objects.filter(officer=taken_off, dedupe_key__endswith=":invited").count()

    again = invitations.invite(in_person_class=klass, officer_ids=[taken_off.pk, declined.pk], by=manager_a)

    assert again == 1
    assert [state(o, klass) for o in officers[:2]] == ["invited", "declined"]
    renewed = ClassInvitation.objects.get(officer=taken_off)
    assert renewed.pk == first.pk and renewed.responded_at is None and renewed.link_used_at is None
    assert renewed.invited_by == manager_a
    assert invitations.invitation_for_token(old_token) is None
    assert invitations.invitation_for_token(invitations.response_token(renewed)) == renewed
    assert (
        Message.objects.filter(officer=taken_off, dedupe_key__endswith=":invited").count()
        == invited_before + 1
    )
    # Inviting once more changes nothing: they are on the list now.
    assert invitations.invite(in_person_class=klass, officer_ids=[taken_off.pk], by=manager_a) == 0
    # The new link answers, and the place is theirs again (capacity 1, nobody else accepted).
    invitations.respond(invitation=renewed, accept=True, now=BEFORE.replace(minute=5), by_link=True)
    assert state(taken_off, klass) == "accepted"


def test_capacity_below_accepted_is_refused_and_raising_it_promotes(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in officers])
    for officer in officers:
        invitations.respond(invitation=ClassInvitation.objects.get(officer=officer), accept=True, now=BEFORE)
    with pytest.raises(invitations.CapacityBelowAcceptedError):
        invitations.change_capacity(in_person_class=klass, capacity=0)
    invitations.change_capacity(in_person_class=klass, capacity=3)
    assert invitations.class_counts(klass)["accepted"] == 3


def test_answers_close_when_the_class_starts(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[officers[0].pk])
    invitation = ClassInvitation.objects.get()
    with pytest.raises(invitations.InvitationClosedError):
        invitations.respond(invitation=invitation, accept=True, now=datetime(2026, 3, 10, 8, 0, tzinfo=HANOI))
    assert state(officers[0], klass) == InvitationState.INVITED


def test_signed_link_names_the_invitation_and_rejects_forgeries(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[officers[0].pk])
    invitation = ClassInvitation.objects.get()
    token = invitations.response_token(invitation)
    assert invitations.invitation_for_token(token) == invitation
    assert invitations.invitation_for_token(token[:-2] + "xx") is None
    assert invitations.invitation_for_token("nonsense") is None


def test_reminder_the_day_before_once(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in officers])
    invitations.respond(invitation=ClassInvitation.objects.get(officer=officers[0]), accept=True, now=BEFORE)
    invitations.respond(invitation=ClassInvitation.objects.get(officer=officers[1]), accept=False, now=BEFORE)
    eve = datetime(2026, 3, 9, 8, 0, tzinfo=HANOI)
    assert invitations.send_reminders(now=eve) == 2  # accepted and not yet answered; not the declined
    assert invitations.send_reminders(now=eve) == 0
    assert invitations.send_reminders(now=datetime(2026, 3, 5, 8, 0, tzinfo=HANOI)) == 0


def test_overlap_warning(tree, klass, officers):
    other = InPersonClassFactory(organising_unit=tree["a"], title="Hội nghị báo cáo viên")
    ClassSessionFactory(in_person_class=other, date=date(2026, 3, 10), start_time=time(10), end_time=time(12))
    invitations.invite(in_person_class=other, officer_ids=[officers[0].pk])
    warnings = invitations.invite_warnings(
        [o.pk for o in officers],
        year=2026,
        sessions=invitations.class_sessions(klass),
        start=klass.start_date,
        end=klass.end_date,
        exclude_class_id=klass.pk,
    )
    assert warnings.overlapping == [(officers[0], other)]
    later = invitations.invite_warnings(
        [o.pk for o in officers], year=2026, sessions=[(date(2026, 3, 10), time(13), time(15))],
        start=date(2026, 3, 10), end=date(2026, 3, 10),
    )  # fmt: skip
    assert later.overlapping == []


def test_the_short_form_names_the_change_the_time_and_the_link(klass, officers):
    from notifications.texts import short_text

    invitations.invite(in_person_class=klass, officer_ids=[officers[0].pk])
    message = Message.objects.get()
    text = short_text(message)
    assert "Giấy mời: " in text and "08:00–11:30 10/03/2026" in text and "/training/invitations/" in text


def test_a_changed_class_is_announced_to_those_still_coming(klass, officers):
    invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in officers])
    invitations.respond(invitation=ClassInvitation.objects.get(officer=officers[0]), accept=False, now=BEFORE)
    assert invitations.announce_class_changed(klass) == 2
    changed = Message.objects.filter(dedupe_key__endswith=":changed")
    assert sorted(changed.values_list("officer_id", flat=True)) == sorted(o.pk for o in officers[1:])


def test_a_batch_runs_once_and_a_lost_one_is_found_again(klass, officers, manager_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    from training.models import InvitationBatch

    batch = InvitationBatch.objects.create(
        in_person_class=klass, requested_by=manager_a, officer_ids=[o.pk for o in officers]
    )
    assert invitations.run_batch(batch.pk) == 3
    batch.refresh_from_db()
    assert batch.status == "done" and batch.progress == 100 and batch.invited == 3
    assert invitations.run_batch(batch.pk) == 0  # finished: not claimed again
    stale = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
    lost = InvitationBatch.objects.create(
        in_person_class=klass, requested_by=manager_a, officer_ids=[officers[0].pk], status="running"
    )
    InvitationBatch.objects.filter(pk=lost.pk).update(heartbeat_at=stale)
    assert invitations.lost_batches() == [lost.pk]
    assert invitations.run_batch(lost.pk) == 0  # everyone already invited: nothing twice
    assert InvitationBatch.objects.get(pk=lost.pk).status == "done"


def test_a_few_are_invited_at_once_and_many_are_queued_for_a_worker(
    klass, officers, manager_a, monkeypatch, django_capture_on_commit_callbacks
):
    from training.models import InvitationBatch

    ids = [o.pk for o in officers]
    sending = invitations.invite_or_queue(in_person_class=klass, officer_ids=ids[:1], by=manager_a)
    assert sending.invited == 1 and sending.batch is None
    assert not InvitationBatch.objects.exists()

    monkeypatch.setattr(invitations, "BACKGROUND_ABOVE", 1)  # the same rule, with fewer officers
    with django_capture_on_commit_callbacks() as queued:
        sending = invitations.invite_or_queue(in_person_class=klass, officer_ids=ids, by=manager_a)
    assert sending.invited == 0 and sending.batch.officer_ids == ids
    assert sending.batch.requested_by == manager_a and sending.batch.status == "pending"
    assert ClassInvitation.objects.filter(in_person_class=klass).count() == 1  # nothing more yet
    assert len(queued) == 1  # the worker's task, sent once the batch is committed
