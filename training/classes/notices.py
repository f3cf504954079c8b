"""What officers are told about their class invitations, and the link they answer by.

Every change of an invitation (invited, accepted, waitlisted, promoted, declined, removed, the
class changed) is one message through the notifications layer, told once: the dedupe key
carries the invitation's version. The answer link signs the invitation's id and its single-use
nonce (``django.core.signing``); no sign-in is needed to use it.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.models import MessageKind
from notifications.services import send as send_message

from ..models import ClassInvitation, InPersonClass, InvitationState
from .calendar import class_ics

SALT = "training.class-invitation"


class Event(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    DECLINED = "declined"
    REMOVED = "removed"
    CHANGED = "changed"


# --- The answer link ------------------------------------------------------------------------------


def response_token(invitation: ClassInvitation) -> str:
    """A signed token naming the invitation and its single-use nonce (no sign-in needed)."""
    return signing.dumps([invitation.pk, invitation.link_nonce], salt=SALT, compress=True)


def invitation_for_token(token: str) -> ClassInvitation | None:
    """The invitation a token names, or None for a forged, mangled or outdated token."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    invitation = (
        ClassInvitation.objects.select_related("officer__unit", "in_person_class__organising_unit")
        .filter(pk=pk, link_nonce=nonce)
        .first()
    )
    return invitation


def response_url(invitation: ClassInvitation) -> str:
    return settings.SITE_URL + reverse("training:invitation_answer", args=[response_token(invitation)])


# --- Messages -------------------------------------------------------------------------------------


def when_text(in_person_class: InPersonClass) -> str:
    """The class's date and time as people read it: "08:00–11:30 15/03/2027" or the dates."""
    sessions = list(in_person_class.sessions.all())
    if sessions:
        return "; ".join(
            f"{s.start_time:%H:%M}–{s.end_time:%H:%M} {date_format(s.date, 'SHORT_DATE_FORMAT')}"
            for s in sessions
        )
    start = date_format(in_person_class.start_date, "SHORT_DATE_FORMAT")
    if in_person_class.end_date != in_person_class.start_date:
        return f"{start} – {date_format(in_person_class.end_date, 'SHORT_DATE_FORMAT')}"
    return start


def _texts(event: Event) -> tuple[str, str]:
    return {
        Event.INVITED: (
            _("Invitation: %(title)s"),
            _(
                "You are invited to the class “%(title)s”."
                "\nWhen: %(when)s\nWhere: %(place)s\n\n"
                "Accept or decline here (no sign-in needed): %(url)s\n"
            ),
        ),
        Event.ACCEPTED: (
            _("You have a place: %(title)s"),
            _(
                "Your place in the class “%(title)s” is confirmed."
                "\nWhen: %(when)s\nWhere: %(place)s\n\n"
                "If you cannot come, decline here: %(url)s\n"
            ),
        ),
        Event.WAITLISTED: (
            _("On the waiting list: %(title)s"),
            _(
                "The class “%(title)s” is full: you are on its waiting list and will be told if a place "
                "frees up.\nWhen: %(when)s\nWhere: %(place)s\n\n%(url)s\n"
            ),
        ),
        Event.PROMOTED: (
            _("A place freed up for you: %(title)s"),
            _(
                "A place freed up in the class “%(title)s”: it is yours."
                "\nWhen: %(when)s\nWhere: %(place)s\n\n"
                "If you cannot come, decline here: %(url)s\n"
            ),
        ),
        Event.DECLINED: (
            _("You declined: %(title)s"),
            _("You declined the class “%(title)s”.\n\n%(url)s\n"),
        ),
        Event.REMOVED: (
            _("Taken off the class list: %(title)s"),
            _("The organiser took you off the list of the class “%(title)s”.\n"),
        ),
        Event.CHANGED: (
            _("Class changed: %(title)s"),
            _("The class “%(title)s” changed.\nWhen: %(when)s\nWhere: %(place)s\n\n%(url)s\n"),
        ),
    }[event]


def announce(
    invitation: ClassInvitation,
    event: Event,
    *,
    in_person_class: InPersonClass | None = None,
    ics: str | None = None,
) -> None:
    klass = in_person_class or invitation.in_person_class
    subject, body = _texts(event)
    url = response_url(invitation) if event != Event.REMOVED else ""
    values = {"title": klass.title, "when": when_text(klass), "place": klass.place or "—", "url": url}
    params = {
        "summary": subject % values,
        "when": values["when"],
        "url": url,
        "name": invitation.officer.full_name,
    }
    if ics is None and event in (Event.ACCEPTED, Event.PROMOTED):
        ics = class_ics(klass)
    if ics and event != Event.REMOVED:
        params["ics"] = ics
    send_message(
        MessageKind.CLASS_NOTICE,
        officer=invitation.officer,
        subject=subject % values,
        body=(_("Dear %(name)s,") % {"name": invitation.officer.full_name}) + "\n\n" + body % values,
        params=params,
        dedupe_key=f"class-invitation:{invitation.pk}:{invitation.version}:{event}",
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """The day before a class, remind whoever accepted it (and whoever has not answered yet).
    Once per invitation: the row is claimed (``reminded_at``) before the message is made."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = ClassInvitation.objects.filter(
        in_person_class__start_date=tomorrow,
        state__in=(InvitationState.ACCEPTED, InvitationState.INVITED),
        reminded_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            if not ClassInvitation.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            invitation = ClassInvitation.objects.select_related("officer", "in_person_class").get(pk=pk)
            klass = invitation.in_person_class
            values = {
                "title": klass.title,
                "when": when_text(klass),
                "place": klass.place or "—",
                "url": response_url(invitation),
            }
            send_message(
                MessageKind.CLASS_NOTICE,
                officer=invitation.officer,
                subject=_("Tomorrow: %(title)s") % values,
                body=(_("Dear %(name)s,") % {"name": invitation.officer.full_name})
                + "\n\n"
                + _(
                    "A reminder: the class “%(title)s” is tomorrow."
                    "\nWhen: %(when)s\nWhere: %(place)s\n\n%(url)s\n"
                )
                % values,
                params={
                    "summary": _("Tomorrow: %(title)s") % values,
                    "when": values["when"],
                    "url": values["url"],
                },
                dedupe_key=f"class-reminder:{pk}",
            )
            sent += 1
    return sent
