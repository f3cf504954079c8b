from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("unreachable/", views.unreachable, name="unreachable"),
]
