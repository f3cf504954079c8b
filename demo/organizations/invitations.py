"""Demo officers' e-mail addresses, and account invitations in every state."""

import random
import secrets
import unicodedata
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.invitations import invitation_lifetime
from accounts.models import Invitation
from organizations.models import Officer, Unit

from .logins import demo_user

# Officers' own addresses live under the reserved .example top-level domain (RFC 2606): no
# invitation sent from a demo can reach anyone.
OFFICER_EMAIL_DOMAIN = "congdoan-hanoi.example"
OFFICER_EMAIL_SHARE = 0.7  # rosters in the field lack an e-mail for about a third of officers


def _ascii(text: str) -> str:
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if c.isascii() and c.isalpha())


def demo_officer_emails(officers: list[Officer]) -> dict[int, str]:
    """The e-mail each demo officer has (by pk), the way Vietnamese offices make them.

    Given name then the initials of family and middle names (Trần Văn Hùng → hungtv), a number
    on a repeat. Who has one is drawn from the officer's code, so the answer never depends on
    the database's state or on the order of the other random draws.
    """
    emails, taken = {}, {}
    for officer in sorted(officers, key=lambda o: o.code):
        if random.Random(officer.code).random() >= OFFICER_EMAIL_SHARE:
            continue
        initials = "".join(
            _ascii(word)[:1] for word in f"{officer.family_name} {officer.middle_name}".split()
        )
        local = _ascii(officer.given_name) + initials
        taken[local] = taken.get(local, 0) + 1
        suffix = str(taken[local]) if taken[local] > 1 else ""
        emails[officer.pk] = f"{local}{suffix}@{OFFICER_EMAIL_DOMAIN}"
    return emails


def give_officers_emails(officers: list[Officer]) -> None:
    """Fill in the demo e-mails of officers who have none (a second run finds nothing to do)."""
    emails = demo_officer_emails(officers)
    missing = [o for o in officers if not o.email and o.pk in emails]
    for officer in missing:
        officer.email = emails[officer.pk]
    Officer.objects.bulk_update(missing, ["email"], batch_size=500)


# (pending, expired, accepted) invitations in the manager's district and elsewhere.
INVITATION_MIX = {"LDLD-CAUGIAY": (4, 2, 2), None: (8, 4, 4)}


def build_invitations() -> None:
    """Invitations in each state, so the invitation page shows what a running system has.

    Made as rows (no e-mail is sent); an officer who already has an invitation or an account is
    left alone, so a second run changes nothing. An accepted one has its account, linked.
    """
    users = {
        u.email: u for u in get_user_model().objects.filter(email__in=["quanly@demo.vn", "tuyengiao@demo.vn"])
    }
    now = timezone.now()
    for district_code, (pending, expired, accepted) in INVITATION_MIX.items():
        officers = Officer.objects.filter(code__startswith="CB").exclude(email="").order_by("code")
        if district_code:
            district = Unit.objects.get(code=district_code)
            officers = officers.filter(unit__path__startswith=district.path)
            inviter = users["quanly@demo.vn"]
        else:
            district = Unit.objects.get(code="LDLD-CAUGIAY")
            officers = officers.exclude(unit__path__startswith=district.path)[::25]
            inviter = users["tuyengiao@demo.vn"]
        states = ["pending"] * pending + ["expired"] * expired + ["accepted"] * accepted
        for number, (officer, state) in enumerate(zip(officers, states, strict=False)):
            if officer.invitations.exists() or officer.user_id:
                continue
            created = now - timedelta(days={"pending": 3, "expired": 30, "accepted": 20}[state] + number % 3)
            invitation = Invitation.objects.create(
                officer=officer,
                email=officer.email,
                key=secrets.token_urlsafe(32),
                invited_by=inviter,
                expires_at=created + invitation_lifetime(),
                issued_at=created,
                sent_at=created,
                send_count=1,
            )
            fields = {"created_at": created}
            if state == "accepted":
                officer.user = demo_user(
                    officer.email, officer.given_name, f"{officer.family_name} {officer.middle_name}"
                )
                officer.save(update_fields=["user"])
                fields["accepted_at"] = created + timedelta(hours=26)
            Invitation.objects.filter(pk=invitation.pk).update(**fields)
