from django.urls import path, re_path

from . import views
from .v1 import api

# /api/tokens/…: the "API access tokens" section of the account pages. Not under /accounts/, so
# staff reach it only with their two-factor set up (accounts.middleware).
app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]

# /api/v1/…: the API itself (lms.urls mounts both).
api_urlpatterns = [
    path("", api.urls),
    # Any other address under /api/v1/ is a problem document too, not the site's HTML 404 page.
    re_path(r"^.*$", views.api_not_found),
]
