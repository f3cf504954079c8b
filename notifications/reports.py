"""Delivery reports: a provider tells us a message reached the phone, or did not.

The providers' report shapes (docs/operators.md, "Delivery reports", has the sources):

- **eSMS.vn** calls the ``CallbackUrl`` sent with the message (HTTP GET with query parameters;
  a POST with the same fields, form or JSON, is read too): ``SMSID``, ``RequestId``,
  ``SendStatus`` (1 awaiting approval, 2 waiting to send, 4 rejected, 5 sent, 7 at the
  operator awaiting its report), ``SendSuccess`` / ``SendFailed`` (recipient counts; one here),
  ``error_info``. Authenticated by the secret path segment (``SMS_CALLBACK_SECRET``).
- **Zalo OA webhook**: a POST of JSON ``{"app_id", "event_name": "user_received_message",
  "timestamp", "message": {"msg_id", "tracking_id", "delivery_time"}, …}`` when a ZNS message
  reached the user's device, signed in ``X-ZEvent-Signature: mac=<sha256(app_id + raw body +
  timestamp + OA secret key)>``. Zalo reports delivery only: an undelivered ZNS stays "sent".
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Channel, Message, MessageState

logger = logging.getLogger(__name__)

ESMS_SENT = "5"
ESMS_REJECTED = "4"


@dataclass(frozen=True)
class Report:
    """One provider's word on one message: delivered, or not (with the provider's reason)."""

    channel: str
    provider_message_id: str = ""
    idempotency_key: str = ""  # what we sent as eSMS's RequestId / Zalo's tracking_id
    delivered: bool = True
    reason: str = ""


class BadSignature(Exception):
    """The report is not from the provider: answered 403, nothing changed."""


def record(report: Report) -> Message | None:
    """Apply ``report`` to its message; returns the message, or None for an unknown id.

    Idempotent (the same report twice changes nothing the second time) and never backwards:
    "delivered" is final — a failure report never overrides it, and a delivery report moves any
    other state to delivered (the provider's word beats "sent", "the worker stopped, check",
    or a retry still waiting). A failure report only fails a message that is sending or sent.
    One conditional UPDATE each, so concurrent reports and the sending worker cannot race it.
    """
    match = Q()
    if report.provider_message_id:
        match |= Q(provider_message_id=report.provider_message_id[:100])
    if report.idempotency_key:
        # A report can arrive before the worker has stored the provider's id.
        match |= Q(idempotency_key=report.idempotency_key[:40])
    if not match:
        return None
    message = Message.objects.filter(match, channel=report.channel).first()
    if message is None:
        logger.info(
            "Delivery report for an unknown %s message %s", report.channel, report.provider_message_id
        )
        return None
    mine = Message.objects.filter(pk=message.pk)
    now = timezone.now()
    if report.delivered:
        changed = mine.exclude(state=MessageState.DELIVERED).update(
            state=MessageState.DELIVERED,
            delivered_at=now,
            error="",
            next_attempt_at=None,
        )
    else:
        changed = mine.filter(state__in=[MessageState.SENDING, MessageState.SENT]).update(
            state=MessageState.FAILED,
            error=(report.reason or "not delivered")[:2000],
            next_attempt_at=None,
        )
    if changed and report.provider_message_id:
        mine.filter(provider_message_id="").update(provider_message_id=report.provider_message_id[:100])
    message.refresh_from_db()
    return message


def esms_report(fields) -> Report | None:
    """The report in eSMS's callback ``fields`` (a QueryDict or dict), or None while it is pending."""
    status = str(fields.get("SendStatus", "")).strip()
    success = _int(fields.get("SendSuccess"))
    failed = _int(fields.get("SendFailed"))
    ids = {
        "channel": Channel.SMS,
        "provider_message_id": str(fields.get("SMSID", "")).strip(),
        "idempotency_key": str(fields.get("RequestId", "")).strip(),
    }
    if status == ESMS_SENT and success > 0:
        return Report(**ids, delivered=True)
    if status == ESMS_REJECTED or (status == ESMS_SENT and failed > 0):
        detail = str(fields.get("error_info", "")).strip()
        reason = "eSMS: rejected by the gateway" if status == ESMS_REJECTED else "eSMS: not delivered"
        return Report(
            **ids, delivered=False, reason=f"{reason} (SendStatus {status}){': ' + detail if detail else ''}"
        )
    return None  # 1, 2, 7: still on its way


def zalo_signature(raw_body: bytes, *, app_id: str, timestamp: str, secret: str) -> str:
    """Zalo's ``X-ZEvent-Signature`` value for ``raw_body``: ``mac=`` + hex SHA-256 of
    app id + body + timestamp + OA secret key."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + secret.encode())
    return "mac=" + digest.hexdigest()


def zalo_report(raw_body: bytes, signature: str) -> Report | None:
    """The delivery in a Zalo OA webhook event, after checking its signature (``BadSignature``
    otherwise); None for events that are not a ZNS delivery."""
    config = settings.NOTIFY_ZALO
    secret = config.get("oa_secret_key", "")
    try:
        event = json.loads(raw_body)
    except ValueError as error:
        raise BadSignature("not JSON") from error
    if not isinstance(event, dict) or not secret:
        raise BadSignature("no event or no OA secret key configured")
    app_id, timestamp = str(event.get("app_id", "")), str(event.get("timestamp", ""))
    if app_id != str(config.get("app_id", "")):
        raise BadSignature("another app's event")
    expected = zalo_signature(raw_body, app_id=app_id, timestamp=timestamp, secret=secret)
    given = signature.strip()
    if not given.lower().startswith("mac="):
        given = "mac=" + given
    if not hmac.compare_digest(expected.lower(), given.lower()):
        raise BadSignature("signature mismatch")
    message = event.get("message") or {}
    if event.get("event_name") != "user_received_message" or not isinstance(message, dict):
        return None
    return Report(
        channel=Channel.ZALO,
        provider_message_id=str(message.get("msg_id") or ""),
        idempotency_key=str(message.get("tracking_id") or ""),
        delivered=True,
    )


def _int(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0
