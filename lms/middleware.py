import time

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SiteLanguageMiddleware:
    """Vietnamese unless the visitor chose otherwise with the language switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the site is Vietnamese first for everyone, English only on request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The language comes from a cookie: caches must key on it, whatever else varies.
        patch_vary_headers(response, ["Cookie"])
        return response


def _clock() -> float:
    return time.time()


class RequireStaffTwoFactorMiddleware:
    """Staff, editors, unit managers and auditors must set up TOTP before using anything but the MFA pages."""

    allowed_prefixes = ("/accounts/", "/static/", "/media/", "/i18n/")
    # The check reads the user's permissions and authenticators (a few queries); once passed it
    # is trusted for this long in the session, so most requests pay nothing for it.
    recheck_seconds = 300
    session_key = "lms_two_factor_checked"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            settings.LMS_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and not self._passed_recently(request, user)
        ):
            from lms.accounts import needs_two_factor_setup

            if needs_two_factor_setup(user):
                return redirect(reverse("mfa_activate_totp"))
            request.session[self.session_key] = [user.pk, _clock() + self.recheck_seconds]
        return self.get_response(request)

    def _passed_recently(self, request: HttpRequest, user) -> bool:
        checked = request.session.get(self.session_key)
        return bool(checked) and checked[0] == user.pk and checked[1] > _clock()
