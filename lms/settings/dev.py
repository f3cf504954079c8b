"""`make run`: the demo as a user sees it. DEBUG is off, so a missing page is the site's own
Vietnamese 404 (403, 500) page; a developer who wants Django's debug pages asks for them with
`make run DEBUG=1` (DJANGO_DEBUG=1)."""

import os

from .base import *  # noqa: F401,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = ["*"]
# Without DEBUG, whitenoise serves the static files collected into var/static; uploaded media
# (Wagtail images, documents) are served by Django itself, as only a demo may.
SERVE_MEDIA = True
# SMS and Zalo, with no provider configured, print to the worker's log and are listed on the
# admin's "Tin đã gửi" page (NOTIFY_CONSOLE=0 turns them off).
NOTIFY_CONSOLE = os.environ.get("NOTIFY_CONSOLE", "1") == "1"


# The first credential signature creates a signing key under var/ (production: an operator does).
CREDENTIAL_KEYS_AUTO_CREATE = True
