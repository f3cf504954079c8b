"""Account rules: closed sign-up (open only through an invitation), and staff keep their second factor."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.urls import reverse

from .mfa import requires_two_factor

INVITATION_SESSION_KEY = "lms_invitation_key"


def pending_invitation(request):
    """The valid invitation whose link opened this session, or None."""
    key = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not key:
        return None
    from .models import Invitation

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
            from .invitations import invited_address_message

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

    def get_login_redirect_url(self, request) -> str:
        """Learners land on their dashboard (/learn/), where their courses and this year's
        requirement are; staff (editors, managers, auditors: those asked for a second factor)
        keep the home page with its links to their tools. A ``?next=`` still wins: allauth reads
        it before asking here."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not requires_two_factor(user):
            return reverse("learn:dashboard")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        invitation = pending_invitation(request)
        if commit and invitation is not None and invitation.email.lower() == (user.email or "").lower():
            from .invitations import accept_invitation

            accept_invitation(invitation=invitation, user=user)
            request._lms_invited_email = invitation.email.lower()
        return user


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff keep their authenticator app: turning it off would only lock them out of the admin.
        if authenticator.type == authenticator.Type.TOTP and requires_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
