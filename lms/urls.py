from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    # One way in: the site's sign-in (allauth), with its rate limits and two-factor step.
    # Wagtail's own login form would skip both, so its address sends people there instead.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("roster/", include("organizations.urls")),
    path("learn/", include("courses.urls")),
    path("training/", include("training.urls")),
    path("audit/", include("training.audit_urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("surveys/", include("surveys.urls")),
    path("healthz/", views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"
