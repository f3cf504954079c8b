"""Changes to the roster. Role history is kept: an assignment is closed, never deleted."""

from datetime import date

from django.db import models, transaction

from .models import Officer, RoleAssignment, Unit


@transaction.atomic
def assign_role(*, officer: Officer, role: str, unit: Unit, start_date: date) -> RoleAssignment:
    """Open a role for an officer at a unit. Idempotent for an identical open assignment."""
    existing = RoleAssignment.objects.filter(
        officer=officer, role=role, unit=unit, end_date__isnull=True
    ).first()
    if existing:
        return existing
    return RoleAssignment.objects.create(officer=officer, role=role, unit=unit, start_date=start_date)


@transaction.atomic
def end_role(*, assignment: RoleAssignment, end_date: date) -> RoleAssignment:
    """Close an assignment on ``end_date``; the row stays as history."""
    if assignment.end_date is not None and assignment.end_date <= end_date:
        return assignment
    if end_date < assignment.start_date:
        raise ValueError("end_date is before start_date")
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


@transaction.atomic
def move_officer(*, officer: Officer, to_unit: Unit, on: date) -> Officer:
    """Move an officer to another unit: close roles at the old unit, open the same at the new."""
    for assignment in RoleAssignment.objects.active_on(on).filter(officer=officer, unit=officer.unit):
        end_role(assignment=assignment, end_date=on)
        assign_role(officer=officer, role=assignment.role, unit=to_unit, start_date=on)
    officer.unit = to_unit
    officer.save(update_fields=["unit"])
    return officer


@transaction.atomic
def open_roles(*, assignments: list[RoleAssignment]) -> list[RoleAssignment]:
    """Create many assignments at once (the roster import). The caller has checked for duplicates."""
    return RoleAssignment.objects.bulk_create(assignments, batch_size=2000)


@transaction.atomic
def close_roles(*, closings: list[tuple[int, date]]) -> int:
    """Close many assignments by id, each on its date; same rules as ``end_role``, in bulk.

    An assignment already closed on or before the date is left alone; a date before the start
    closes it on its start date. Rows are kept as history. Returns how many changed.
    """
    if not closings:
        return 0
    wanted = dict(closings)
    changed = []
    ids = list(wanted)
    for start in range(0, len(ids), 900):
        for assignment in RoleAssignment.objects.filter(pk__in=ids[start : start + 900]):
            end_date = max(wanted[assignment.pk], assignment.start_date)
            if assignment.end_date is not None and assignment.end_date <= end_date:
                continue
            assignment.end_date = end_date
            changed.append(assignment)
    RoleAssignment.objects.bulk_update(changed, ["end_date"], batch_size=1000)
    return len(changed)


# --- Account invitations -------------------------------------------------------------

INVITATION_DAYS = 14
INLINE_SEND_LIMIT = 50


def invitation_lifetime():
    from datetime import timedelta

    from django.conf import settings

    return timedelta(days=int(getattr(settings, "ROSTER_INVITATION_DAYS", INVITATION_DAYS)))


def _new_key() -> str:
    import secrets

    return secrets.token_urlsafe(32)


def invite_officers(*, officers, invited_by) -> tuple[list, int]:
    """Invite each officer who has an e-mail, no account and no pending invitation.

    Never sends twice by accident: an officer with a pending invitation or an account (or whose
    e-mail already has an account) is skipped; one open invitation per officer is enforced by
    the database, and an expired one is renewed rather than duplicated. Returns (invitations
    made, number skipped). E-mails go out after commit: inline for a few, in a task for many.
    """
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError
    from django.utils import timezone

    from lms.tasks import enqueue

    from .models import Invitation
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
        if existing is not None and existing.expires_at > now:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                if existing is not None:  # expired: renew the same row
                    existing.key, existing.email = _new_key(), officer.email.lower()
                    existing.expires_at, existing.sent_at = now + invitation_lifetime(), None
                    existing.invited_by = invited_by
                    existing.save(update_fields=["key", "email", "expires_at", "sent_at", "invited_by"])
                    made.append(existing)
                else:
                    made.append(
                        Invitation.objects.create(
                            officer=officer,
                            email=officer.email.lower(),
                            key=_new_key(),
                            invited_by=invited_by,
                            expires_at=now + invitation_lifetime(),
                        )
                    )
        except IntegrityError:  # a concurrent request invited this officer first
            skipped += 1
    ids = [i.pk for i in made]
    if len(ids) > INLINE_SEND_LIMIT:
        enqueue(send_invitations, ids)
    elif ids:
        transaction.on_commit(lambda: send_invitation_emails(invitation_ids=ids))
    return made, skipped


def resend_invitation(*, invitation, by):
    """Explicitly send an invitation again with a new link and a new expiry date."""
    from django.utils import timezone

    if invitation.accepted_at or invitation.revoked_at or invitation.officer.user_id:
        raise ValueError("invitation already used")
    invitation.key = _new_key()
    invitation.expires_at = timezone.now() + invitation_lifetime()
    invitation.sent_at = None
    invitation.invited_by = by
    invitation.save(update_fields=["key", "expires_at", "sent_at", "invited_by"])
    transaction.on_commit(lambda: send_invitation_emails(invitation_ids=[invitation.pk]))
    return invitation


def send_invitation_emails(*, invitation_ids: list[int]) -> int:
    """Send each invitation not sent yet (sent_at empty). Idempotent; returns how many went out."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import timezone, translation

    from .models import Invitation

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for invitation in Invitation.objects.filter(
            pk__in=invitation_ids, sent_at__isnull=True
        ).select_related("officer"):
            # Claim it first so two workers never send the same invitation.
            if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            ):
                continue
            context = {
                "invitation": invitation,
                "officer": invitation.officer,
                "url": settings.SITE_URL.rstrip("/")
                + reverse("organizations:invitation_accept", args=[invitation.key]),
                "site_name": settings.WAGTAIL_SITE_NAME,
            }
            subject = render_to_string("organizations/invitations/email_subject.txt", context).strip()
            body = render_to_string("organizations/invitations/email_body.txt", context)
            send_mail(subject, body, None, [invitation.email])
            Invitation.objects.filter(pk=invitation.pk).update(send_count=models.F("send_count") + 1)
            sent += 1
    return sent


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Link the new account to the invited officer and close the invitation."""
    from django.utils import timezone

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
