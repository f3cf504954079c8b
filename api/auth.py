"""Who is calling: a personal access token in ``Authorization: Bearer …``.

Checked on every request, in this order: the token exists, is not revoked, has not expired,
its account is active and still holds a staff role; then the rate limit and the body size.
The request then runs as the token's user, so every scope check is the screens' own.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from .problems import Problem, forbidden, unauthorized
from .tokens import find_token, may_use_api, note_use

WINDOW_SECONDS = 60


def use_request_language(request) -> None:
    """Vietnamese unless the client asks for English (``Accept-Language: en``) or the site's
    language cookie says so: integrators' programs send no cookie."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not chosen:
        accept = request.headers.get("Accept-Language", "").strip().lower()
        chosen = "en" if accept.startswith("en") else settings.LANGUAGE_CODE
    if chosen in {code for code, _name in settings.LANGUAGES}:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen


def check_rate(token) -> None:
    """At most ``API_RATE_LIMIT_PER_MINUTE`` requests per token per clock minute, counted in the
    cache (shared between processes when CACHE_URL names a Redis)."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api:rate:{token.pk}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count > limit:
        retry = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
        raise Problem(
            429,
            "rate-limited",
            _("Too many requests"),
            _("This token may make %(limit)s requests a minute; try again in %(seconds)s seconds.")
            % {"limit": limit, "seconds": retry},
            headers={"Retry-After": str(retry)},
        )


def check_body_size(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.API_MAX_BODY_BYTES:
        raise Problem(
            413,
            "body-too-large",
            _("Request body too large"),
            _("The request body is %(size)s bytes; the limit is %(limit)s bytes. Send fewer rows at a time.")
            % {"size": length, "limit": settings.API_MAX_BODY_BYTES},
        )


class TokenAuth(HttpBearer):
    def __call__(self, request):
        use_request_language(request)
        return super().__call__(request)

    def authenticate(self, request, token: str):
        found = find_token(token.strip())
        if found is None:
            raise unauthorized(_("This access token is not valid."))
        if found.revoked_at is not None:
            raise unauthorized(_("This access token was revoked."))
        now = timezone.now()
        if found.is_expired(now):
            raise unauthorized(
                _("This access token expired on %(date)s.")
                % {"date": date_format(timezone.localtime(found.expires_at), "SHORT_DATE_FORMAT")}
            )
        user = found.user
        if not user.is_active:
            raise unauthorized(_("The account this access token belongs to is disabled."))
        if not may_use_api(user):
            raise forbidden(_("The account this access token belongs to no longer holds a staff role."))
        check_rate(found)
        check_body_size(request)
        note_use(found, now)
        request.user = user
        return found


def require_write(request) -> None:
    """Writes need a token made with "read and write" access."""
    if not request.auth.can_write:
        raise forbidden(_("This access token may only read. Make a token with read and write access."))
