from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<str:code>/", views.unit_tree, name="unit_detail"),
]
