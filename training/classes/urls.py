"""URLs of the class pages (included by ``training.urls`` in the "training" namespace)."""

from django.urls import path

from . import invitation_views, views

urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/invite/", invitation_views.invite, name="class_invite"),
    path("classes/invite/batches/<dbid:pk>/", invitation_views.invitation_batch, name="invitation_batch"),
    path("classes/<dbid:pk>/", views.class_detail, name="class_detail"),
    path("classes/<dbid:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<dbid:pk>/sessions/", views.session_add, name="session_add"),
    path("classes/<dbid:pk>/sessions/<dbid:session_pk>/qr/", views.session_qr, name="session_qr"),
    path("classes/<dbid:pk>/attendance/", views.attendance, name="class_attendance"),
    path(
        "classes/<dbid:pk>/attendance/<dbid:record_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path(
        "classes/<dbid:pk>/invitations/<dbid:invitation_pk>/remove/",
        invitation_views.invitation_remove,
        name="invitation_remove",
    ),
    path("classes/<dbid:pk>/sign-in-sheet.pdf", invitation_views.sign_in_sheet, name="sign_in_sheet"),
    path("classes/<dbid:pk>/upload/", views.attendance_upload, name="class_upload"),
    path("classes/<dbid:pk>/upload/template.xlsx", views.attendance_template, name="class_upload_template"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("attend/<str:token>/", invitation_views.attend, name="attend"),
    path("invitations/<str:token>/", invitation_views.invitation_answer, name="invitation_answer"),
    path("invitations/<str:token>/event.ics", invitation_views.invitation_ics, name="invitation_ics"),
    path("my-invitations/<dbid:pk>/", invitation_views.my_invitation_answer, name="my_invitation_answer"),
]
