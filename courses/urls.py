from django.urls import path

from . import views

app_name = "learn"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<dbid:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<dbid:course_id>/assign/", views.assign, name="assign"),
    path("courses/<dbid:course_id>/offline/", views.offline_bundle, name="offline_bundle"),
    path("lessons/<dbid:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path(
        "lessons/<dbid:lesson_id>/complete/queued/",
        views.complete_lesson_queued,
        name="complete_lesson_queued",
    ),
    path("quizzes/<dbid:quiz_id>/start/", views.start_attempt, name="start_attempt"),
    path("attempts/<dbid:pk>/", views.attempt, name="attempt"),
    path("attempts/<dbid:pk>/save/", views.attempt_save, name="attempt_save"),
    path("attempts/<dbid:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<dbid:pk>/result/", views.attempt_result, name="attempt_result"),
]
