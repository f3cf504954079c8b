from django.core.management import call_command
from django.utils.html import strip_tags

from courses.models import CoursePage, Enrolment, LessonPage, QuizPage
from courses.selectors import course_items


def test_seed_demo_builds_three_live_courses_idempotently(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    courses = list(CoursePage.objects.live().order_by("path"))
    assert len(courses) == 3
    for course in courses:
        items = course_items(course)
        lessons = [p for p in items if isinstance(p, LessonPage)]
        quizzes = [p for p in items if isinstance(p, QuizPage)]
        assert 3 <= len(lessons) <= 5 and len(quizzes) == 1
        assert 8 <= len(quizzes[0].questions) <= 15
        assert course.counts_toward_requirement and course.grants_certificate
        assert course.live_revision_id is not None
        assert all(len(strip_tags(str(lesson.body))) > 700 for lesson in lessons)
    counts = (CoursePage.objects.count(), LessonPage.objects.count(), Enrolment.objects.count())
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    assert (CoursePage.objects.count(), LessonPage.objects.count(), Enrolment.objects.count()) == counts
    assert Enrolment.objects.filter(officer__user__email="hocvien@demo.vn").exists()


def test_demo_pages_render(client, db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    for page in [*CoursePage.objects.all(), *LessonPage.objects.all(), *QuizPage.objects.all()]:
        assert client.get(page.url).status_code == 200, page.url
