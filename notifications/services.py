"""Writes of the notifications layer: make a message, deliver it once, retry it, heal lost work."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tasks import enqueue
from organizations.models import Officer

from . import channels, routing
from .models import Message, MessageState

logger = logging.getLogger(__name__)

DONE_STATES = (MessageState.SENT, MessageState.DELIVERED)


def send(
    kind: str,
    *,
    officer: Officer | None = None,
    address: str = "",
    channel: str = "",
    only: list[str] | None = None,
    subject: str = "",
    body: str = "",
    params: dict | None = None,
    dedupe_key: str | None = None,
    deliver_now: bool = False,
    retries: bool = True,
) -> Message:
    """Record one message and have it delivered; returns its row.

    The channel is the officer's preferred one, else the first of ``NOTIFY_CHANNEL_ORDER`` that
    is set up and has an address for them (``only`` narrows the channels a kind may use); the
    others stay as fallbacks for a permanent refusal. Without an officer, ``address`` and
    ``channel`` (default e-mail) say where it goes. An officer no channel reaches gets a failed
    row saying so, listed on "Tin đã gửi".

    Idempotent per ``dedupe_key``: a repeated call returns the first row and sends nothing.
    Delivery is a Celery task queued after commit; with ``deliver_now`` (callers already in a
    worker or a command) the first attempt happens here, and retries go to the queue.
    With ``retries=False`` a temporary error fails the message at once (the caller retries).
    """
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    if officer is not None and not address:
        pairs = routing.route(officer, kind, only=only)
    else:
        pairs = [(channel or "email", address)] if address else []
    first, *rest = pairs or [("", "")]
    message = Message(
        kind=kind,
        officer=officer,
        channel=first[0] or (only or routing.channel_order())[0],
        address=first[1],
        fallbacks=[list(pair) for pair in rest],
        subject=subject[:255],
        body=body,
        params={key: str(value) for key, value in (params or {}).items()},
        dedupe_key=dedupe_key or None,
        idempotency_key=uuid.uuid4().hex,
        retries=retries,
        next_attempt_at=timezone.now(),
    )
    if not pairs:
        message.state = MessageState.FAILED
        message.error = _("No channel reaches this person: add a phone number or an e-mail address.")
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:  # the same dedupe key, sent concurrently
        if dedupe_key and (existing := Message.objects.filter(dedupe_key=dedupe_key).first()):
            return existing
        raise
    if message.state == MessageState.QUEUED:
        if deliver_now:
            deliver(message.pk)
            message.refresh_from_db()
        else:
            _enqueue(message.pk)
    return message


def _enqueue(message_id: int, countdown: float = 0) -> None:
    from .tasks import deliver_message

    if countdown:
        transaction.on_commit(lambda: deliver_message.apply_async((message_id,), countdown=countdown))
    else:
        enqueue(deliver_message, message_id)


def backoff_seconds(attempts: int) -> int:
    """After the n-th failed attempt: base × 2^(n−1), at most ``NOTIFY_RETRY_BACKOFF_MAX_SECONDS``."""
    base = settings.NOTIFY_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.NOTIFY_RETRY_BACKOFF_MAX_SECONDS)


def deliver(message_id: int) -> str:
    """One delivery attempt of a queued message whose time has come; returns its state after.

    Never twice: the row is claimed (queued → sending, attempts + 1) by one conditional UPDATE
    before the provider is called, so a second task for it (a re-queued or duplicated one)
    finds nothing to claim. A temporary error puts it back in the queue with a backoff until
    ``NOTIFY_MAX_ATTEMPTS``; a permanent one moves it to the next channel, or fails it.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, state=MessageState.QUEUED, next_attempt_at__lte=now + timedelta(seconds=1)
    ).update(state=MessageState.SENDING, sending_since=now, attempts=F("attempts") + 1)
    if not claimed:
        return Message.objects.filter(pk=message_id).values_list("state", flat=True).first() or ""
    message = Message.objects.get(pk=message_id)
    try:
        outcome = channels.adapter(message.channel).send(message)
    except channels.DeliveryError as error:
        return _after_error(message, error)
    except Exception as error:  # a bug or an unforeseen failure: retried like a temporary error
        logger.exception("Message %s: unexpected error", message_id)
        return _after_error(message, channels.TemporaryError(f"{type(error).__name__}: {error}"))
    state = MessageState.DELIVERED if outcome.delivered else MessageState.SENT
    now = timezone.now()
    done = Message.objects.filter(pk=message_id, state=MessageState.SENDING).update(
        state=state,
        sent_at=now,
        delivered_at=now if outcome.delivered else None,
        provider_message_id=outcome.provider_message_id[:100],
        error="",
        sending_since=None,
        next_attempt_at=None,
    )
    if not done:
        # A delivery report came first (by the idempotency key) and moved it on: keep its
        # state, record what only this answer knows.
        Message.objects.filter(pk=message_id, sent_at__isnull=True).update(
            sent_at=now, provider_message_id=outcome.provider_message_id[:100], sending_since=None
        )
        return Message.objects.filter(pk=message_id).values_list("state", flat=True).first() or state
    return state


def _after_error(message: Message, error: channels.DeliveryError) -> str:
    reason = str(error)[:2000] or type(error).__name__
    mine = Message.objects.filter(pk=message.pk, state=MessageState.SENDING)
    if error.permanent and message.fallbacks:
        (channel, address), *rest = message.fallbacks
        logger.info("Message %s: %s refused it (%s); trying %s", message.pk, message.channel, reason, channel)
        mine.update(
            state=MessageState.QUEUED,
            channel=channel,
            address=address,
            fallbacks=rest,
            error=reason,
            sending_since=None,
            next_attempt_at=timezone.now(),
        )
        _enqueue(message.pk)
        return MessageState.QUEUED
    if error.permanent or not message.retries or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        logger.warning("Message %s failed: %s", message.pk, reason)
        mine.update(state=MessageState.FAILED, error=reason, sending_since=None, next_attempt_at=None)
        return MessageState.FAILED
    wait = backoff_seconds(message.attempts)
    mine.update(
        state=MessageState.QUEUED,
        error=reason,
        sending_since=None,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    _enqueue(message.pk, countdown=wait)
    return MessageState.QUEUED


def retry_message(message: Message) -> bool:
    """Send a failed message again (the admin's "Retry"): same row, same idempotency key, the
    attempts counted afresh. An officer's route is worked out again from the roster as it is
    now (a phone added since). Returns False when it is not failed (any more)."""
    updates = {
        "state": MessageState.QUEUED,
        "attempts": 0,
        "next_attempt_at": timezone.now(),
        "sending_since": None,
    }
    if message.officer_id:
        officer = Officer.objects.select_related("user").get(pk=message.officer_id)
        pairs = routing.route(officer, message.kind)
        current = [p for p in pairs if p[0] == message.channel]
        if current or pairs:
            # Keep the channel it was on when it still reaches them: a provider that accepts the
            # idempotency key recognises the message if an earlier try got through after all.
            first = current[0] if current else pairs[0]
            updates.update(
                channel=first[0],
                address=first[1],
                fallbacks=[list(p) for p in pairs if p != first],
            )
    changed = Message.objects.filter(pk=message.pk, state=MessageState.FAILED).update(**updates)
    if changed:
        _enqueue(message.pk)
    return bool(changed)


def sweep_messages() -> dict:
    """Heal what a killed worker or a lost task left (run every ``JOB_SWEEP_SECONDS`` by beat).

    - queued messages whose time came a sweep ago and were not taken: their task was lost
      (a countdown held by a killed worker); queued again (a duplicate task claims nothing);
    - messages left "sending" by a worker killed mid-send: on SMS, whose gateway refuses a
      repeated request id, sent again; on e-mail and Zalo, which cannot recognise a repeat, the
      message may have gone out, so it is failed with that reason for a person to check and
      retry rather than risk a second copy.
    """
    now = timezone.now()
    late = now - timedelta(seconds=settings.JOB_SWEEP_SECONDS)
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS + 2 * settings.NOTIFY_HTTP_TIMEOUT)
    lost = list(
        Message.objects.filter(state=MessageState.QUEUED, next_attempt_at__lt=late).values_list(
            "pk", flat=True
        )
    )
    for pk in lost:
        _enqueue(pk)
    stuck = Message.objects.filter(state=MessageState.SENDING, sending_since__lt=stale)
    again = list(stuck.filter(channel="sms").values_list("pk", flat=True))
    resent = Message.objects.filter(pk__in=again, state=MessageState.SENDING).update(
        state=MessageState.QUEUED, sending_since=None, next_attempt_at=now
    )
    for pk in again:
        _enqueue(pk)
    unknown = stuck.filter(~Q(channel="sms")).update(
        state=MessageState.FAILED,
        sending_since=None,
        next_attempt_at=None,
        error=_(
            "The worker stopped while this message was being sent: it may or may not have arrived. "
            "Check with the recipient before you retry it."
        ),
    )
    if lost or resent or unknown:
        logger.warning(
            "Messages: %s re-queued, %s re-sent after a lost worker, %s unknown", len(lost), resent, unknown
        )
    return {"requeued": len(lost), "resent": resent, "unknown": unknown}
