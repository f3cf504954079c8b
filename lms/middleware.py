from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, giving the Wagtail admin's URLs their own, looser policy.

    The site's pages get ``CONTENT_SECURITY_POLICY``; URLs starting with one of
    ``LMS_ADMIN_CSP_PREFIXES`` get ``LMS_ADMIN_CONTENT_SECURITY_POLICY`` (Wagtail writes inline
    scripts and styles). A view's own ``@csp_override`` still wins.
    """

    @staticmethod
    def _in_admin(request: HttpRequest) -> bool:
        return request.path_info.startswith(tuple(settings.LMS_ADMIN_CSP_PREFIXES))

    def process_response(self, request: HttpRequest, response):
        if self._in_admin(request) and CSP_HEADER in response:
            # Wagtail renders a page preview by passing a request for the page's own URL through
            # the middleware again: that inner pass wrote the site's policy (frame-ancestors
            # 'none'), which would stop the admin framing its preview. The admin's wins.
            del response[CSP_HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request: HttpRequest, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and self._in_admin(request):
            parts.config = default_config(settings.LMS_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


# Types worth compressing: markup, text and JSON shrink to a quarter; PDFs, images, workbooks (zip)
# and videos are compressed already, and gzipping them again costs a worker's time for nothing.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/problem+json",
    "application/manifest+json",
    "image/svg+xml",
    "application/ld+json",
)


class CompressTextMiddleware(GZipMiddleware):
    """Django's GZip middleware, for text responses only.

    Django's middleware mitigates BREACH (a response that reflects a secret, the CSRF token, and
    something the attacker chose could leak the secret through its compressed length) by padding
    each gzip stream with random bytes ("Heal The BREACH"); the CSRF token is also masked afresh
    on every response. Static files never reach it: WhiteNoise answers them earlier in the chain
    with its own pre-compressed copies.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
