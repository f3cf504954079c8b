"""Activation without e-mail, at /kich-hoat/ (lms.urls includes it there)."""

from django.urls import path

from . import activation_views as views

app_name = "activation"
urlpatterns = [
    path("", views.start, name="start"),
    path("mat-khau/", views.choose_password, name="password"),
    path("<str:code>/", views.start, name="start_with_code"),
]
