"""The Open Badges credentials' public addresses outside /verify/: the published keys (at the
site's root, where JOSE clients look), the status list and the issuers' profiles."""

from django.urls import path

from . import credential_views

app_name = "credentials"
urlpatterns = [
    path(".well-known/jwks.json", credential_views.jwks, name="jwks"),
    path("credentials/status/<dbid:number>", credential_views.status_list, name="status_list"),
    path("credentials/issuers/<str:code>", credential_views.issuer_profile, name="issuer"),
]
