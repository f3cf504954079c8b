from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("status/", views.my_status, name="status"),
    path("course/<dbid:course_id>/status/", views.course_status, name="course_status"),
    path("<dbid:pk>/download/", views.download, name="download"),
    path("register/", views.register, name="register"),
    path("register/<dbid:pk>/", views.manage, name="manage"),
    path("bulk/", views.bulk_request, name="bulk"),
    path("bulk/<dbid:pk>/", views.bulk_detail, name="bulk_detail"),
    path("bulk/<dbid:pk>/status/", views.bulk_status, name="bulk_status"),
    path("bulk/<dbid:pk>/download/", views.bulk_download, name="bulk_download"),
]
