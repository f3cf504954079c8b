"""Account rules: closed sign-up (open only through an invitation), and who must use 2FA."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings

INVITATION_SESSION_KEY = "lms_invitation_key"


def pending_invitation(request):
    """The valid invitation whose link opened this session, or None."""
    key = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not key:
        return None
    from organizations.models import Invitation

    return (
        Invitation.objects.pending()
        .select_related("officer")
        .filter(key=key, officer__user__isnull=True)
        .first()
    )


def _current_request(adapter):
    request = getattr(adapter, "request", None)
    if request is None:
        from allauth.core import context

        request = context.request
    return request


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from the roster; a valid invitation opens sign-up for one address.
        if settings.LMS_OPEN_SIGNUP:
            return True
        return pending_invitation(request) is not None

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        invitation = pending_invitation(_current_request(self))
        if invitation is not None and email.strip().lower() != invitation.email.lower():
            from organizations.services import invited_address_message

            raise forms.ValidationError(invited_address_message(invitation.email))
        return email

    def is_email_verified(self, request, email: str) -> bool:
        # The invitation link reached this address, which proves it.
        if getattr(request, "_lms_invited_email", None) == email.lower():
            return True
        invitation = pending_invitation(request)
        if invitation is not None and invitation.email.lower() == email.lower():
            return True
        return super().is_email_verified(request, email)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        invitation = pending_invitation(request)
        if commit and invitation is not None and invitation.email.lower() == (user.email or "").lower():
            from organizations.services import accept_invitation

            accept_invitation(invitation=invitation, user=user)
            request._lms_invited_email = invitation.email.lower()
        return user


def requires_two_factor(user) -> bool:
    """True for staff: anyone who may open the Wagtail admin (editors, unit managers, auditors,
    superusers).

    The admin holds officers' personal data and publishes courses, so a password alone is not
    enough there; learners are not asked.
    """
    from organizations.scope import is_auditor

    return bool(
        user.is_staff or user.is_superuser or is_auditor(user) or user.has_perm("wagtailadmin.access_admin")
    )


def needs_two_factor_setup(user) -> bool:
    """True for staff who have no TOTP authenticator yet."""
    from allauth.mfa.models import Authenticator

    if not requires_two_factor(user):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff keep their authenticator app: turning it off would only lock them out of the admin.
        if authenticator.type == authenticator.Type.TOTP and requires_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
