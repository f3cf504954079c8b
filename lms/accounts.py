"""Account rules: closed sign-up, and who must use two-factor authentication."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts come from the roster; invitations open sign-up for one address.
        if settings.LMS_OPEN_SIGNUP:
            return True
        return bool(request.session.get("lms_invitation_key"))


def needs_two_factor_setup(user) -> bool:
    """True for staff and auditors who have no TOTP authenticator yet."""
    from allauth.mfa.models import Authenticator

    from organizations.scope import is_auditor

    if not (user.is_staff or user.is_superuser or is_auditor(user)):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
