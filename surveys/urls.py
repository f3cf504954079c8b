from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<dbid:page_id>/results/", views.results, name="results"),
    path("<dbid:page_id>/results/export.xlsx", views.export, name="export"),
    path("<dbid:page_id>/results/answers/<str:question>/", views.answers, name="answers"),
]
