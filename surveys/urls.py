from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<int:page_id>/results/", views.results, name="results"),
    path("<int:page_id>/results/export.xlsx", views.export, name="export"),
    path("<int:page_id>/results/answers/<str:question>/", views.answers, name="answers"),
]
