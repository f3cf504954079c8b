from django.urls import path

from . import credential_views, views

app_name = "verify"
urlpatterns = [
    path("", views.verify_form, name="form"),
    # A credential pasted or uploaded (Open Badges 3.0); not a code, so before <code>/.
    path("credential/", credential_views.check, name="check"),
    path("<str:code>/", views.verify_detail, name="detail"),
    path("<str:code>/openbadge.json", credential_views.openbadge_json, name="openbadge_json"),
    path("<str:code>/openbadge.jwt", credential_views.openbadge_jwt, name="openbadge_jwt"),
]
