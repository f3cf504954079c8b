"""Production: every secret comes from the environment; refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, SITE_URL

DEBUG = False
if SECRET_KEY.startswith("dev-"):
    raise ImproperlyConfigured("Set SECRET_KEY for production.")
# E-mails and the QR code printed on every (immutable) certificate link to SITE_URL: a forgotten
# value would send people to http://127.0.0.1:8000 for good.
if not os.environ.get("SITE_URL", "").strip():
    raise ImproperlyConfigured(
        "Set SITE_URL to the site's public address, e.g. https://huanluyen.example.vn."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
if SECURE_SSL_REDIRECT and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SITE_URL must start with https:// (the site redirects to HTTPS), not {SITE_URL!r}."
    )
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
