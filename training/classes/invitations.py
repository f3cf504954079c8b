"""Invitations to in-person classes: invite, answer, remove, the waiting list and the messages.

Every change of a class's list happens under a lock on the class row (``select_for_update``),
so two officers accepting the last place at once never both get it: the second waits for the
first's commit, then counts again. Over capacity an acceptance waits in line; a place freed (a
decline, a removal, a larger capacity) goes to the oldest in line. Every change is told to the
officer through the notifications layer, once (the dedupe key carries the invitation's version).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.jobs import JobStatus
from core.tasks import enqueue
from organizations.models import Officer

from ..audit import rules
from ..models import ClassInvitation, InPersonClass, InvitationBatch, InvitationState
from ..models.invitations import OPEN_STATES, new_link_nonce
from ..models.requirements import RequirementTarget
from .calendar import class_ics
from .notices import (  # noqa: F401 — the answer link and the reminders, used through this module
    Event,
    announce,
    invitation_for_token,
    response_token,
    response_url,
    send_reminders,
    when_text,
)

# More officers than this are invited by a worker, with a progress bar.
BACKGROUND_ABOVE = 200
CHUNK = 100
# At most this many at once (a class of thousands is a list to narrow, not to invite).
MOST_AT_ONCE = 5000
LOST_PENDING_AFTER = timedelta(minutes=10)


class InvitationClosedError(Exception):
    """The class has started (or the invitation was withdrawn): nobody answers any more."""


class CapacityBelowAcceptedError(Exception):
    def __init__(self, accepted: int):
        super().__init__(f"{accepted} already accepted")
        self.accepted = accepted


def is_closed(in_person_class: InPersonClass, now: datetime | None = None) -> bool:
    """Answers close when the class starts: its first session, else its first day (Hanoi time)."""
    now = now or timezone.now()
    sessions = sorted(in_person_class.sessions.all(), key=lambda s: (s.date, s.start_time))
    if sessions:  # read from a prefetch when there is one
        return now >= sessions[0].starts_at
    return timezone.localdate(now) >= in_person_class.start_date


# --- Warnings before inviting ---------------------------------------------------------------------


@dataclass
class InviteWarnings:
    trained: list[Officer] = field(default_factory=list)
    # (officer, the other class) pairs: invited to a class whose sessions overlap this one's.
    overlapping: list[tuple[Officer, InPersonClass]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.trained or self.overlapping)


def trained_for_year(officer_ids, year: int) -> set[int]:
    """Of ``officer_ids``, those already trained for ``year`` by any of its training targets:
    the audit's own rule (``rules.trained_officer_ids``), one query per target."""
    found: set[int] = set()
    requirements = rules.requirements_for(year)
    for target in rules.TRAINING_TARGETS:
        requirement = requirements.get(target) or requirements.get(RequirementTarget(target))
        if requirement is None:
            continue
        found |= set(
            rules.trained_officer_ids(requirement)
            .filter(officer_id__in=officer_ids)
            .values_list("officer_id", flat=True)
        )
    return found


def _overlap_q(sessions: list[tuple[date, object, object]], start: date, end: date) -> Q:
    if not sessions:  # a class without sessions yet: its days
        return Q(in_person_class__start_date__lte=end, in_person_class__end_date__gte=start)
    condition = Q()
    for day, start_time, end_time in sessions:
        condition |= Q(
            in_person_class__sessions__date=day,
            in_person_class__sessions__start_time__lt=end_time,
            in_person_class__sessions__end_time__gt=start_time,
        )
    return condition


def overlapping_invitations(
    officer_ids, *, sessions: list[tuple[date, object, object]], start: date, end: date, exclude_class_id=None
) -> list[ClassInvitation]:
    """Open invitations of ``officer_ids`` to other classes whose sessions overlap ``sessions``
    (date, start, end), or, without sessions, whose days overlap ``start``–``end``. One query."""
    found = (
        ClassInvitation.objects.filter(officer_id__in=officer_ids, state__in=OPEN_STATES)
        .filter(_overlap_q(sessions, start, end))
        .exclude(in_person_class_id=exclude_class_id)
        .select_related("officer", "in_person_class")
        .distinct()
        .order_by("officer__sort_key", "id")
    )
    return list(found)


def invite_warnings(
    officer_ids, *, year: int, sessions, start: date, end: date, exclude_class_id=None, limit: int = 50
) -> InviteWarnings:
    """What needs the manager's confirmation before inviting: officers already trained for the
    year, and officers invited to another class at the same time. A fixed number of queries."""
    trained_ids = trained_for_year(officer_ids, year)
    trained = list(Officer.objects.filter(pk__in=trained_ids).order_by("sort_key")[:limit])
    overlapping = [
        (i.officer, i.in_person_class)
        for i in overlapping_invitations(
            officer_ids, sessions=sessions, start=start, end=end, exclude_class_id=exclude_class_id
        )[:limit]
    ]
    warnings = InviteWarnings(trained=trained, overlapping=overlapping)
    warnings.trained_count = len(trained_ids)
    return warnings


def outside_unit(officer_ids, unit) -> set[int]:
    """Of ``officer_ids``, those whose home unit is not ``unit`` or under it: a class organised
    by a unit invites only its own subtree's officers. One query."""
    inside = Officer.objects.filter(pk__in=officer_ids, unit__path__startswith=unit.path)
    return set(officer_ids) - set(inside.values_list("pk", flat=True))


def class_sessions(in_person_class: InPersonClass) -> list[tuple[date, object, object]]:
    return [(s.date, s.start_time, s.end_time) for s in in_person_class.sessions.all()]


# --- Writes ---------------------------------------------------------------------------------------


def invite(*, in_person_class: InPersonClass, officer_ids: Iterable[int], by=None) -> int:
    """Invite officers to the class; returns how many were newly invited.

    Idempotent: an officer already invited is left as they are, whatever they answered (a
    decline can still be changed on /learn/). Only someone the organiser took off the list is
    invited again, with a new answer link (the old one stops working). Each invitation made is
    told to its officer with the answer links and the .ics event. Runs in chunks of
    ``CHUNK``, each its own transaction, so a worker's progress is real and a retry resumes."""
    officer_ids = list(dict.fromkeys(int(i) for i in officer_ids))
    made = 0
    for start in range(0, len(officer_ids), CHUNK):
        made += _invite_chunk(in_person_class, officer_ids[start : start + CHUNK], by)
    return made


@dataclass(frozen=True)
class Sending:
    """What ``invite_or_queue`` did: invited ``invited`` officers now, or queued a ``batch``."""

    invited: int = 0
    batch: InvitationBatch | None = None


def invite_or_queue(*, in_person_class: InPersonClass, officer_ids: list[int], by) -> Sending:
    """Invite the officers now, or, more than ``BACKGROUND_ABOVE`` of them, queue one batch that a
    worker sends in chunks while its progress page follows it (``run_batch``)."""
    if len(officer_ids) <= BACKGROUND_ABOVE:
        return Sending(invited=invite(in_person_class=in_person_class, officer_ids=officer_ids, by=by))
    from ..tasks import send_invitation_batch  # the task module imports this one

    batch = InvitationBatch.objects.create(
        in_person_class=in_person_class, requested_by=by, officer_ids=officer_ids
    )
    enqueue(send_invitation_batch, batch.pk)
    return Sending(batch=batch)


@transaction.atomic
def _invite_chunk(in_person_class: InPersonClass, officer_ids: list[int], by) -> int:
    already = dict(
        ClassInvitation.objects.filter(
            in_person_class=in_person_class, officer_id__in=officer_ids
        ).values_list("officer_id", "state")
    )
    new_ids = [i for i in officer_ids if i not in already]
    removed_ids = [i for i in officer_ids if already.get(i) == InvitationState.REMOVED]
    again = _invite_again(in_person_class, removed_ids, by) if removed_ids else 0
    if not new_ids:
        return again
    now = timezone.now()
    try:
        with transaction.atomic():
            ClassInvitation.objects.bulk_create(
                [
                    ClassInvitation(
                        in_person_class=in_person_class, officer_id=i, invited_by=by, invited_at=now
                    )
                    for i in new_ids
                ]
            )
    except IntegrityError:  # someone invited some of them at the same moment: one by one
        for officer_id in new_ids:
            ClassInvitation.objects.get_or_create(
                in_person_class=in_person_class,
                officer_id=officer_id,
                defaults={"invited_by": by, "invited_at": now},
            )
    invitations = ClassInvitation.objects.filter(
        in_person_class=in_person_class, officer_id__in=new_ids, version=0, invited_at=now
    ).select_related("officer")
    ics = class_ics(in_person_class)
    count = 0
    for invitation in invitations:
        announce(invitation, Event.INVITED, ics=ics)
        count += 1
    return again + count


def _invite_again(in_person_class: InPersonClass, officer_ids: list[int], by) -> int:
    """Invite again those the organiser took off the list: a fresh invitation (new answer link),
    told like a first one. Under the class's lock, as every change of an invitation's state."""
    now = timezone.now()
    _lock_class(in_person_class.pk)
    removed = (
        ClassInvitation.objects.select_for_update()
        .select_related("officer")
        .filter(in_person_class=in_person_class, officer_id__in=officer_ids, state=InvitationState.REMOVED)
    )
    ics = class_ics(in_person_class)
    count = 0
    for invitation in removed:
        _set_state(
            invitation,
            InvitationState.INVITED,
            now,
            invited_at=now,
            invited_by=by,
            responded_at=None,
            link_nonce=new_link_nonce(),
            link_used_at=None,
        )
        announce(invitation, Event.INVITED, ics=ics)
        count += 1
    return count


def _lock_class(in_person_class_id: int) -> InPersonClass:
    return InPersonClass.objects.select_for_update().get(pk=in_person_class_id)


def _accepted_count(in_person_class_id: int) -> int:
    return ClassInvitation.objects.filter(
        in_person_class_id=in_person_class_id, state=InvitationState.ACCEPTED
    ).count()


def _has_room(klass: InPersonClass) -> bool:
    return klass.capacity is None or _accepted_count(klass.pk) < klass.capacity


def _set_state(invitation: ClassInvitation, state: str, now: datetime, **fields) -> None:
    invitation.state = state
    invitation.version += 1
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save(update_fields=["state", "version", *fields])


@transaction.atomic
def respond(
    *, invitation: ClassInvitation, accept: bool, now: datetime | None = None, by_link: bool = False
) -> ClassInvitation:
    """The officer's answer. Accepting takes a place if one is free, else the end of the waiting
    list; declining frees the place for the first in line. Refused (``InvitationClosedError``)
    once the class has started or when the invitation was withdrawn; answering what one already
    answered changes nothing. ``by_link``: the single-use link was used."""
    now = now or timezone.now()
    klass = _lock_class(invitation.in_person_class_id)
    invitation = ClassInvitation.objects.select_for_update().select_related("officer").get(pk=invitation.pk)
    if invitation.state == InvitationState.REMOVED or is_closed(klass, now):
        raise InvitationClosedError
    if by_link:
        invitation.link_used_at = now
        invitation.save(update_fields=["link_used_at"])
    was = invitation.state
    if accept:
        if was in (InvitationState.ACCEPTED, InvitationState.WAITLISTED):
            return invitation
        if _has_room(klass):
            _set_state(invitation, InvitationState.ACCEPTED, now, responded_at=now, waitlisted_at=None)
            announce(invitation, Event.ACCEPTED, in_person_class=klass)
        else:
            _set_state(invitation, InvitationState.WAITLISTED, now, responded_at=now, waitlisted_at=now)
            announce(invitation, Event.WAITLISTED, in_person_class=klass)
        return invitation
    if was == InvitationState.DECLINED:
        return invitation
    _set_state(invitation, InvitationState.DECLINED, now, responded_at=now, waitlisted_at=None)
    announce(invitation, Event.DECLINED, in_person_class=klass)
    if was == InvitationState.ACCEPTED:
        promote_waitlist(klass, now=now)
    return invitation


@transaction.atomic
def remove(*, invitation: ClassInvitation, by=None, now: datetime | None = None) -> ClassInvitation:
    """The organiser takes an officer off the class's list; their place goes to the first in line."""
    now = now or timezone.now()
    klass = _lock_class(invitation.in_person_class_id)
    invitation = ClassInvitation.objects.select_for_update().select_related("officer").get(pk=invitation.pk)
    if invitation.state == InvitationState.REMOVED:
        return invitation
    was = invitation.state
    _set_state(invitation, InvitationState.REMOVED, now, waitlisted_at=None)
    announce(invitation, Event.REMOVED, in_person_class=klass)
    if was == InvitationState.ACCEPTED:
        promote_waitlist(klass, now=now)
    return invitation


def promote_waitlist(in_person_class: InPersonClass, *, now: datetime | None = None) -> list[ClassInvitation]:
    """Give free places to the waiting list, oldest first; returns those promoted. Takes the
    class's lock (already held by the callers above: the same transaction)."""
    now = now or timezone.now()
    with transaction.atomic():
        klass = _lock_class(in_person_class.pk)
        waiting = (
            ClassInvitation.objects.filter(in_person_class=klass, state=InvitationState.WAITLISTED)
            .select_related("officer")
            .order_by("waitlisted_at", "id")
        )
        if klass.capacity is not None:
            free = max(klass.capacity - _accepted_count(klass.pk), 0)
            waiting = waiting[:free]
        promoted = list(waiting)
        for invitation in promoted:
            _set_state(invitation, InvitationState.ACCEPTED, now, waitlisted_at=None)
            announce(invitation, Event.PROMOTED, in_person_class=klass)
    return promoted


@transaction.atomic
def change_capacity(*, in_person_class: InPersonClass, capacity: int | None) -> InPersonClass:
    """Set the class's capacity; refused below the number already accepted. A larger one
    promotes from the waiting list."""
    klass = _lock_class(in_person_class.pk)
    accepted = _accepted_count(klass.pk)
    if capacity is not None and capacity < accepted:
        raise CapacityBelowAcceptedError(accepted)
    klass.capacity = capacity
    klass.save(update_fields=["capacity"])
    in_person_class.capacity = capacity
    promote_waitlist(klass)
    return klass


# What invitees are told of when it changes (a new notice with the class's calendar entry).
ANNOUNCED_FIELDS = frozenset({"title", "start_date", "end_date", "place"})


def after_class_edited(in_person_class: InPersonClass, changed_fields) -> None:
    """What follows a saved edit of a class, made on the site's form or in the Wagtail admin: a
    larger capacity gives its places to the waiting list, and a new title, date or place is told
    to everyone still expecting to come."""
    promote_waitlist(in_person_class)
    if ANNOUNCED_FIELDS & set(changed_fields):
        announce_class_changed(in_person_class)


def announce_class_changed(in_person_class: InPersonClass) -> int:
    """Tell everyone still expecting to come that the class's date, time or place changed."""
    count = 0
    ics = class_ics(in_person_class)
    with transaction.atomic():
        for invitation in ClassInvitation.objects.filter(
            in_person_class=in_person_class, state__in=OPEN_STATES
        ).select_related("officer"):
            invitation.version += 1
            invitation.save(update_fields=["version"])
            announce(invitation, Event.CHANGED, in_person_class=in_person_class, ics=ics)
            count += 1
    return count


# --- Reads ----------------------------------------------------------------------------------------


def class_counts(in_person_class: InPersonClass) -> dict[str, int]:
    """Invitations of the class by state, one query."""
    rows = (
        ClassInvitation.objects.filter(in_person_class=in_person_class)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {state.value: 0 for state in InvitationState}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def open_invitations_for(officer: Officer, *, now: datetime | None = None) -> list[ClassInvitation]:
    """An officer's invitations to classes not yet over, soonest first (for /learn/). One query."""
    today = timezone.localdate(now or timezone.now())
    return list(
        ClassInvitation.objects.filter(officer=officer, in_person_class__end_date__gte=today)
        .exclude(state=InvitationState.REMOVED)
        .select_related("in_person_class")
        .prefetch_related("in_person_class__sessions")
        .order_by("in_person_class__start_date", "id")
    )


# --- Many at once: a worker's batch ----------------------------------------------------------------


def run_batch(batch_id: int) -> int:
    """Send a batch's invitations in chunks, with progress and a heartbeat; returns how many the
    batch invited. Idempotent: claimed first (waiting, or running with a stale heartbeat), and
    ``invite`` skips officers already invited, so a restarted batch resumes where it stopped."""
    from core.tasks import heartbeat, stale_before

    claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before())
    if not InvitationBatch.objects.filter(claimable, pk=batch_id).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    ):
        return 0
    batch = InvitationBatch.objects.select_related("in_person_class", "requested_by").get(pk=batch_id)
    ids = list(batch.officer_ids)
    total = max(len(ids), 1)
    done = batch.invited
    try:
        with heartbeat(InvitationBatch.objects.filter(pk=batch_id, status=JobStatus.RUNNING)):
            for start in range(0, len(ids), CHUNK):
                done += invite(
                    in_person_class=batch.in_person_class,
                    officer_ids=ids[start : start + CHUNK],
                    by=batch.requested_by,
                )
                InvitationBatch.objects.filter(pk=batch_id).update(
                    invited=done,
                    progress=min(99, (start + CHUNK) * 100 // total),
                    heartbeat_at=timezone.now(),
                )
    except Exception as error:
        InvitationBatch.objects.filter(pk=batch_id).update(status=JobStatus.FAILED, error=str(error)[:2000])
        raise
    InvitationBatch.objects.filter(pk=batch_id).update(
        status=JobStatus.DONE, progress=100, invited=done, finished_at=timezone.now()
    )
    return done


def lost_batches(*, now: datetime | None = None) -> list[int]:
    """Batches whose worker died (running, heartbeat stale) or whose task was lost (waiting
    longer than ``LOST_PENDING_AFTER`` while the queue is empty): to be sent again."""
    from core.tasks import queue_is_empty, stale_before

    now = now or timezone.now()
    lost = Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before())
    if queue_is_empty():
        lost |= Q(status=JobStatus.PENDING, heartbeat_at__lt=now - LOST_PENDING_AFTER)
    ids = list(InvitationBatch.objects.filter(lost).values_list("pk", flat=True))
    # Re-sent now: not again before its heartbeat goes stale once more.
    InvitationBatch.objects.filter(pk__in=ids, status=JobStatus.PENDING).update(heartbeat_at=now)
    return ids
