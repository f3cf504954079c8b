"""The installable app: the web app manifest, the service worker and its offline page.

The service worker's text names the shell's static files by their (hashed, in production) URLs
and carries a version computed from that text, so a deploy that changes any of them changes the
worker: the browser installs the new one, which deletes the old shell caches.
"""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

THEME_COLOUR = "#b3261e"
SHELL_STATIC = (
    "css/site.css",
    "js/site.js",
    "js/offline.js",
    "courses/courses.css",
    "courses/save-offline.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
    "img/icons/icon-512.png",
)


@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": _("Union Training"),
        "short_name": _("Union Training"),
        "lang": get_language() or "vi",
        "dir": "ltr",
        "start_url": reverse("learn:dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static(f"img/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for size in (192, 512)
            for purpose in ("any", "maskable")
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )


def service_worker_text() -> str:
    shell = [reverse("offline")] + [static(name) for name in SHELL_STATIC]
    body = render_to_string(
        "pwa/sw.js", {"shell_json": json.dumps(shell), "offline_url_json": json.dumps(reverse("offline"))}
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    return body.replace("__VERSION__", version)


@never_cache  # the browser checks for a new worker on each visit; it must not get a stale one
def service_worker(request):
    response = HttpResponse(service_worker_text(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@cache_control(max_age=3600)
def offline(request):
    """What a page the phone has not saved shows without a connection (cached by the worker)."""
    return render(request, "offline.html")
