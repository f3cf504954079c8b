"""The providers' delivery reports, at /notifications/callbacks/ (docs/operators.md)."""

from django.urls import path

from . import views

app_name = "notifications_callbacks"
urlpatterns = [
    path("sms/<str:secret>/", views.sms_report, name="sms"),
    path("zns/", views.zns_report, name="zns"),
]
