"""Invitations, under /roster/ where managers keep their roster (lms.urls includes them there)."""

from django.urls import path

from . import reset_views, views

app_name = "accounts"
urlpatterns = [
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<dbid:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/accept/<str:key>/", views.invitation_accept, name="invitation_accept"),
    path("invitations/sheet.pdf", views.activation_sheet, name="activation_sheet"),
    path("invitations/sheets/<dbid:pk>/", views.activation_sheet_status, name="activation_sheet_status"),
    path(
        "invitations/sheets/<dbid:pk>/download/",
        views.activation_sheet_download,
        name="activation_sheet_download",
    ),
    path("invitations/officers/<dbid:pk>/activation-link/", views.activation_link, name="activation_link"),
    path("officers/<dbid:pk>/reset-code/", reset_views.officer_reset_code, name="officer_reset_code"),
]
