from .attempts import AttemptState, CloseReason, QuizAttempt
from .pages import CourseIndexPage, CoursePage, LessonPage, QuizPage, ReviewPolicy
from .progress import Enrolment, EnrolmentSource, LessonCompletion
from .videos import SMALL_VIDEO_HEIGHT, SmallVideo, SmallVideoState

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
    "SMALL_VIDEO_HEIGHT",
    "SmallVideo",
    "SmallVideoState",
]
