"""Account rules: closed sign-up (open only through an invitation), sign-in by e-mail or by the
roster's phone number, and staff keep their second factor."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.phones import InvalidPhone, PhoneFormField, normalise_phone

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

    # --- Phone numbers (allauth's phone support, ACCOUNT_LOGIN_METHODS = {"email", "phone"}) -------
    # The number is the one on the roster: the Officer linked to the user (Officer.user) holds it,
    # in E.164, at most one officer per number (a database constraint). The user model keeps no copy.
    # It counts as verified: the department or a unit manager entered it, and no SMS can be sent
    # yet to prove it (the notifications layer will bring SMS; see docs/accounts.md).

    def phone_form_field(self, **kwargs):
        # Any usual way of typing a number (0912 345 678, +84 …, 84…) is one number.
        kwargs.setdefault("label", _("Phone number"))
        return PhoneFormField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return normalise_phone(phone)
        except InvalidPhone as error:
            raise forms.ValidationError(error.message, code="invalid_phone") from None

    def get_phone(self, user) -> tuple[str, bool] | None:
        from organizations.models import Officer

        officer = Officer.objects.for_user(user)
        if officer is None or not officer.phone.startswith("+"):
            return None  # no number, or an old one that could not be read (never a sign-in name)
        return officer.phone, True

    def set_phone(self, user, phone: str, verified: bool) -> None:
        """Write the number on the user's officer (sign-up with a phone field; not used while
        sign-up is closed). A user who is no officer has nowhere to keep one."""
        from organizations.models import Officer

        officer = Officer.objects.for_user(user)
        if officer is not None:
            officer.phone = normalise_phone(phone)
            officer.save(update_fields=["phone"])

    def set_phone_verified(self, user, phone: str) -> None:
        # Roster numbers are verified by whoever entered them: there is nothing to record.
        return None

    def get_user_by_phone(self, phone: str):
        from organizations.models import Officer

        try:
            number = normalise_phone(phone)
        except InvalidPhone:
            return None
        if not number:
            return None
        officer = Officer.objects.filter(phone=number, user__isnull=False).select_related("user").first()
        return officer.user if officer is not None else None

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # Not reachable today: phone verification and login by code are off (no "phone" sign-up
        # field). The notifications layer's SMS channel will send codes once it exists.
        raise NotImplementedError("SMS is not available yet; phone numbers come verified from the roster.")

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed sign-ins per e-mail or username; a phone sign-in has neither, so
        # without this every phone number would share one counter (and lock each other out).
        phone = credentials.get("phone")
        if phone and not credentials.get("email") and not credentials.get("username"):
            try:
                phone = normalise_phone(phone)
            except InvalidPhone:
                phone = phone.strip()
            return super()._get_login_attempts_cache_key(request, username=f"phone:{phone}")
        return super()._get_login_attempts_cache_key(request, **credentials)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff keep their authenticator app: turning it off would only lock them out of the admin.
        if authenticator.type == authenticator.Type.TOTP and requires_two_factor(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
