"""Staff keep a second factor: the check made on every request."""

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import needs_two_factor_setup


class RequireStaffTwoFactorMiddleware:
    """Staff, editors, unit managers and auditors must set up TOTP before using anything but the MFA pages.

    Checked on every request, in one query (``accounts.mfa.two_factor_facts``): a learner given
    a staff role or group is sent to the set-up page on the very next page they open, and
    someone whose authenticator was removed on the next one too. Nothing is remembered in the
    session, so nothing can go stale.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            settings.LMS_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
        ):
            if needs_two_factor_setup(user):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
