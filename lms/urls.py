from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from accounts.reset_views import reset_code_by_sms, reset_with_code
from accounts.views import SignOutView
from api.urls import api_urlpatterns
from organizations.history import ScopedLogEntriesView

from . import pwa, views


def admin_view(view):
    """A view in the admin's address space, with the checks Wagtail's own admin views have."""
    return never_cache(require_admin_access(view))


urlpatterns = [
    # One way in: the site's sign-in (allauth), with its rate limits and two-factor step.
    # Wagtail's own login form would skip both, so its address leads there instead.
    path("admin/login/", views.admin_login, name="admin_login"),
    # Wagtail's site history, with roster entries limited to the viewer's scope; these come
    # first so that Wagtail's own URL names (site_history, site_history_results) lead here.
    path("admin/reports/site-history/", admin_view(ScopedLogEntriesView.as_view())),
    path("admin/reports/site-history/results/", admin_view(ScopedLogEntriesView.as_view(results_only=True))),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Signing out also clears the offline copies on the device (Clear-Site-Data).
    path("accounts/logout/", SignOutView.as_view(), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    # Forgotten password for officers who sign in with their phone: a code from their unit manager.
    path("quen-mat-khau/ma/", reset_with_code, name="password_reset_code"),
    path("quen-mat-khau/sms/", reset_code_by_sms, name="password_reset_code_sms"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("roster/", include("organizations.urls")),
    path("roster/", include("accounts.urls")),  # invitations, next to the roster they come from
    path("kich-hoat/", include("accounts.activation_urls")),  # activation without e-mail
    path("roster/", include("notifications.urls")),  # who no message reaches
    path("notifications/callbacks/", include("notifications.callback_urls")),  # delivery reports
    path("learn/", include("courses.urls")),
    path("training/", include("training.urls")),
    path("audit/", include("training.audit.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("", include("certificates.credential_urls")),  # /.well-known/jwks.json, /credentials/…
    path("surveys/", include("surveys.urls")),
    path("api/v1/", include(api_urlpatterns)),
    path("api/tokens/", include("api.urls")),  # the account page's "API access tokens"
    path("healthz/", views.healthz, name="healthz"),
    # The installable app: the worker's scope is where it is served from, so it lives at the root.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The demo (make run) serves uploaded media itself, with or without DEBUG; production's proxy does.
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"
