from django.urls import path, register_converter

from . import views


class DatabaseIdConverter:
    """Digits that fit a 64-bit id column: a longer number is a 404 here, not an overflow in the database."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "dbid")

app_name = "learn"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<dbid:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<dbid:course_id>/assign/", views.assign, name="assign"),
    path("lessons/<dbid:lesson_id>/complete/", views.complete_lesson, name="complete_lesson"),
    path("quizzes/<dbid:quiz_id>/start/", views.start_attempt, name="start_attempt"),
    path("attempts/<dbid:pk>/", views.attempt, name="attempt"),
    path("attempts/<dbid:pk>/save/", views.attempt_save, name="attempt_save"),
    path("attempts/<dbid:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("attempts/<dbid:pk>/result/", views.attempt_result, name="attempt_result"),
]
