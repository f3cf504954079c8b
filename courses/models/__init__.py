from .attempts import AttemptState, CloseReason, QuizAttempt
from .pages import CourseIndexPage, CoursePage, LessonPage, QuizPage, ReviewPolicy
from .progress import Enrolment, EnrolmentSource, LessonCompletion

__all__ = [
    "AttemptState",
    "CloseReason",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "EnrolmentSource",
    "LessonCompletion",
    "LessonPage",
    "QuizAttempt",
    "QuizPage",
    "ReviewPolicy",
]
