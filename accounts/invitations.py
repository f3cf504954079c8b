"""Account invitations: an imported officer is e-mailed a link that opens sign-up for their address.

Sent once, renewed explicitly, claimed before sending so two processes never send the same one.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Officer

from .models import Invitation

logger = logging.getLogger(__name__)

INVITATION_DAYS = 14
INLINE_SEND_LIMIT = 50
RESEND_INTERVAL_SECONDS = 60
CLAIM_TIMEOUT_SECONDS = 600  # a claim older than this belongs to a process that died mid-send


class InvitationUsed(ValueError):
    """The invitation was accepted or revoked, or the officer has an account already."""


class ResendTooSoon(Exception):
    """The invitation was (re)issued moments ago or is being sent right now."""


class InvitationNotSent(Exception):
    """The notifications layer could not deliver the invitation (its reason is the message)."""


class NoAddress(ValueError):
    """The officer no longer has an e-mail address on the roster."""


def is_for_current_address(invitation, officer) -> bool:
    """Whether the invitation went to the officer's e-mail address as the roster has it now.

    A re-import or an edit may correct an address after the invitation went out; the old link
    must not create the account, and the next invite or resend goes to the new address.
    """
    return bool(officer.email) and invitation.email.lower() == officer.email.lower()


@dataclass
class SendReport:
    sent: int = 0
    failed: list = field(default_factory=list)  # (invitation id, e-mail, reason)


def invitation_lifetime():
    from django.conf import settings

    return timedelta(days=int(getattr(settings, "ROSTER_INVITATION_DAYS", INVITATION_DAYS)))


def resend_interval():
    from django.conf import settings

    return timedelta(
        seconds=int(getattr(settings, "ROSTER_INVITATION_RESEND_SECONDS", RESEND_INTERVAL_SECONDS))
    )


def _new_key() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def sends_in_background(count: int) -> bool:
    """Whether ``count`` new invitations are e-mailed by a Celery task rather than inside the request."""
    return count > INLINE_SEND_LIMIT


def invite_officers(*, officers, invited_by) -> tuple[list, int]:
    """Invite each officer who has an e-mail, no account and no pending invitation.

    Never sends twice by accident: an officer with a pending invitation or an account (or whose
    e-mail already has an account) is skipped; one open invitation per officer is enforced by
    the database, and an expired one, or one sent to an address the officer no longer has, is
    renewed rather than duplicated. Returns (invitations
    made, number skipped). E-mails go out after commit: inline for a few, in a task for many.
    """
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError

    from core.tasks import enqueue

    from .tasks import send_invitations

    officers = list(officers)
    emails = {o.email.lower() for o in officers if o.email}
    taken = set()
    for start in range(0, len(emails), 900):
        chunk = list(emails)[start : start + 900]
        taken |= {
            e.lower()
            for e in get_user_model().objects.filter(email__in=chunk).values_list("email", flat=True)
        }
    open_invitations = {
        i.officer_id: i
        for i in Invitation.objects.filter(
            officer__in=[o.pk for o in officers], accepted_at__isnull=True, revoked_at__isnull=True
        )
    }
    now = timezone.now()
    made, skipped = [], 0
    for officer in officers:
        existing = open_invitations.get(officer.pk)
        if not officer.email or officer.user_id or officer.email.lower() in taken:
            skipped += 1
            continue
        if existing is not None and existing.expires_at > now and is_for_current_address(existing, officer):
            skipped += 1
            continue
        try:
            with transaction.atomic():
                if existing is not None:  # expired or sent to an old address: renew the same row
                    existing.key, existing.email = _new_key(), officer.email.lower()
                    existing.expires_at, existing.sent_at = now + invitation_lifetime(), None
                    existing.issued_at, existing.send_error = now, ""
                    existing.invited_by = invited_by
                    existing.save(
                        update_fields=[
                            "key",
                            "email",
                            "expires_at",
                            "sent_at",
                            "issued_at",
                            "send_error",
                            "invited_by",
                        ]
                    )
                    made.append(existing)
                else:
                    made.append(
                        Invitation.objects.create(
                            officer=officer,
                            email=officer.email.lower(),
                            key=_new_key(),
                            invited_by=invited_by,
                            expires_at=now + invitation_lifetime(),
                            issued_at=now,
                        )
                    )
        except IntegrityError:  # a concurrent request invited this officer first
            skipped += 1
    ids = [i.pk for i in made]
    if sends_in_background(len(ids)):
        enqueue(send_invitations, ids)
    elif ids:
        transaction.on_commit(lambda: send_invitation_emails(invitation_ids=ids))
    return made, skipped


def resend_invitation(*, invitation, by):
    """Explicitly send an invitation again with a new link and a new expiry date.

    Raises InvitationUsed for an accepted or revoked invitation, and ResendTooSoon when it was
    issued less than ``ROSTER_INVITATION_RESEND_SECONDS`` ago (unless its last send failed) or is
    being sent right now — so a double-click, or two people clicking at once, sends one e-mail.
    The check and the renewal are one conditional UPDATE, safe under concurrency. The link goes
    to the officer's current address (raises NoAddress when the roster has none any more).
    """

    if invitation.accepted_at or invitation.revoked_at or invitation.officer.user_id:
        raise InvitationUsed
    if not invitation.officer.email:
        raise NoAddress
    now = timezone.now()
    renewed = (
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS)))
        .filter(Q(issued_at__isnull=True) | Q(issued_at__lt=now - resend_interval()) | ~Q(send_error=""))
        .update(
            key=_new_key(),
            email=invitation.officer.email.lower(),
            expires_at=now + invitation_lifetime(),
            sent_at=None,
            issued_at=now,
            send_error="",
            invited_by=by,
        )
    )
    if not renewed:
        raise ResendTooSoon
    invitation.refresh_from_db()
    transaction.on_commit(lambda: send_invitation_emails(invitation_ids=[invitation.pk]))
    return invitation


def send_invitation_emails(*, invitation_ids: list[int]) -> SendReport:
    """Send each open invitation not sent yet. Idempotent; one failure does not stop the rest.

    Each invitation is claimed first (a conditional UPDATE), so two processes never send the same
    one; it is marked sent only once the mail server accepted the message. A failed send is
    recorded on the invitation (``send_error``, shown in the invitation list) and reported.
    """
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    import notifications
    from notifications.models import MessageKind, MessageState

    report = SendReport()
    with translation.override(settings.LANGUAGE_CODE):
        for pk in list(invitation_ids):
            now = timezone.now()
            claim = Invitation.objects.filter(
                pk=pk, sent_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True
            ).filter(
                Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS))
            )
            if not claim.update(claimed_at=now):
                continue  # sent already, used, or another process is sending it
            # Read after claiming: a resend cannot change the key while the claim is held.
            invitation = Invitation.objects.select_related("officer").get(pk=pk)
            context = {
                "invitation": invitation,
                "officer": invitation.officer,
                "url": settings.SITE_URL.rstrip("/")
                + reverse("accounts:invitation_accept", args=[invitation.key]),
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            try:
                subject = render_to_string("accounts/invitations/email_subject.txt", context).strip()
                body = render_to_string("accounts/invitations/email_body.txt", context)
                # Through the notifications layer (listed on "Tin đã gửi"), by e-mail only: the
                # link opens sign-up for this address. No retries of its own: a failure is
                # recorded here and "Gửi lại" (or the next batch) sends it again.
                message = notifications.send(
                    MessageKind.INVITATION,
                    officer=invitation.officer,
                    address=invitation.email,
                    subject=subject,
                    body=body,
                    deliver_now=True,
                    retries=False,
                )
                if message.state not in (MessageState.SENT, MessageState.DELIVERED):
                    raise InvitationNotSent(message.error)
            except Exception as error:  # SMTP refusals, a server that cannot be reached, bad headers
                logger.warning("Invitation %s to %s not sent: %s", pk, invitation.email, error)
                reason = (
                    str(error) if isinstance(error, InvitationNotSent) else f"{type(error).__name__}: {error}"
                )
                reason = reason[:255]
                Invitation.objects.filter(pk=pk).update(claimed_at=None, send_error=reason)
                report.failed.append((pk, invitation.email, reason))
                continue
            Invitation.objects.filter(pk=pk).update(
                sent_at=timezone.now(), claimed_at=None, send_error="", send_count=models.F("send_count") + 1
            )
            report.sent += 1
    return report


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Link the new account to the invited officer and close the invitation."""
    officer = Officer.objects.select_for_update().get(pk=invitation.officer_id)
    if officer.user_id is None:
        officer.user = user
        officer.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return officer


def invited_address_message(email: str) -> str:
    """Sign-up refuses any address but the invited one (the message lives in this app's catalogue)."""
    from django.utils.translation import gettext

    return gettext("Use the address the invitation was sent to: %(email)s.") % {"email": email}
