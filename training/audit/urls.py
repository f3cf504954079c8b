from django.urls import path

from . import views as audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.dashboard, name="dashboard"),
    path("roles/", audit_views.roles, name="roles"),
    path("officers/", audit_views.officers, name="officers"),
    path("unstaffed/", audit_views.unstaffed, name="unstaffed"),
    path("charts/", audit_views.charts, name="charts"),
    path("export/<str:view>.<str:fmt>", audit_views.export, name="export"),
    path("exports/<dbid:pk>/", audit_views.export_status, name="export_status"),
    path("exports/<dbid:pk>/download/", audit_views.export_download, name="export_download"),
    path("years/", audit_views.years, name="years"),
    path("years/<year:year>/close/", audit_views.close_year, name="close_year"),
    path("years/<year:year>/reopen/", audit_views.reopen_year, name="reopen_year"),
    path("reminders/", audit_views.reminders, name="reminders"),
]
