"""/learn/ opens with "Bắt buộc năm YYYY": the courses assigned to the learner by the year's rules."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import LessonPage, QuizPage
from organizations.models import Role
from organizations.tests.factories import RoleAssignmentFactory
from training.audit import assignments
from training.audit.services import ensure_program09
from training.models import ClassKind, InPersonClass, RequirementCourse, RequirementTarget

from .conftest import build_course, right_answers


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def required(learner, tree, year):
    """The learner is a propagandist at a large grassroots union: both training targets of Program 09."""
    RoleAssignmentFactory(
        officer=learner.officer, unit=tree["ga"], role=Role.PROPAGANDIST, start_date=date(2020, 1, 1)
    )
    requirements = {r.target: r for r in ensure_program09(year)}
    corps = requirements[RequirementTarget.CORPS]
    corps.deadline = date(year, 10, 15)
    corps.save()
    return requirements


def name_courses(requirement, count):
    courses = []
    for n in range(count):
        course, _, _ = build_course(lessons=1, slug=f"bat-buoc-{n}")
        course.title = f"Khoá bắt buộc {n + 1}"
        course.save_revision().publish()
        RequirementCourse.objects.create(requirement=requirement, course=course, sort_order=n)
        courses.append(course)
    assignments.recompute()
    return courses


def block(client):
    html = client.get(reverse("learn:dashboard")).content.decode()
    match = re.search(r'<section class="card required".*?</section>', html, re.S)
    return match.group(0) if match else ""


def item(html, title):
    return re.search(
        rf'<li class="required__item">\s*<p class="required__name">{title}</p>.*?</li>', html, re.S
    ).group(0)


def test_each_course_shows_its_deadline_status_and_button(client, learner, required, year):
    untouched, begun, finished = name_courses(required[RequirementTarget.CORPS], 3)
    officer = learner.officer
    services.complete_lesson(officer=officer, lesson=LessonPage.objects.child_of(begun).get())
    services.complete_lesson(officer=officer, lesson=LessonPage.objects.child_of(finished).get())
    attempt = services.start_attempt(officer=officer, quiz=QuizPage.objects.child_of(finished).get())
    services.submit_attempt(
        attempt_id=attempt.pk, officer=officer, answers=right_answers(attempt), sequence=attempt.sequence
    )
    client.force_login(learner)

    html = block(client)

    assert f"Bắt buộc năm {year}" in html
    first = item(html, "Khoá bắt buộc 1")
    assert f"15/10/{year}" in first and "Chưa bắt đầu" in first
    assert f'href="{untouched.url}"' in first and ">Bắt đầu<" in first
    second = item(html, "Khoá bắt buộc 2")
    assert "Đang học" in second and ">Tiếp tục<" in second
    assert f'href="{QuizPage.objects.child_of(begun).get().url}"' in second  # the next step
    third = item(html, "Khoá bắt buộc 3")
    assert "Đã hoàn thành" in third and "button" not in third


def test_an_in_person_only_requirement_lists_the_classes_in_reach(client, learner, required, tree, year):
    kind = ClassKind.objects.get(name="Lớp tập huấn")
    other_kind = ClassKind.objects.get(name="Hội nghị báo cáo viên")
    large = required[RequirementTarget.LARGE_GRASSROOTS]
    large.class_kinds.add(kind)
    large.save()
    assignments.recompute()
    today = timezone.localdate()

    def klass(title, unit, start, kind=kind):
        return InPersonClass.objects.create(
            title=title, kind=kind, organising_unit=unit, start_date=start, end_date=start, place="Hội trường"
        )

    klass("Lớp của quận mình", tree["a"], today + timedelta(days=10))
    klass("Lớp của thành phố", tree["city"], today + timedelta(days=20))
    klass("Lớp quận khác", tree["b"], today + timedelta(days=5))
    klass("Lớp đã qua", tree["a"], today - timedelta(days=5))
    klass("Hội nghị khác loại", tree["a"], today + timedelta(days=3), kind=other_kind)
    client.force_login(learner)

    html = block(client)

    assert '<p class="required__name">Lớp tập huấn trực tiếp: Lớp tập huấn</p>' in html
    assert "không có khóa học trực tuyến" in html
    assert f"31/12/{year}" in html
    assert html.index("Lớp của quận mình") < html.index("Lớp của thành phố")
    for away in ("Lớp quận khác", "Lớp đã qua", "Hội nghị khác loại"):
        assert away not in html


def test_the_in_person_requirement_says_when_no_class_is_planned(client, learner, required):
    large = required[RequirementTarget.LARGE_GRASSROOTS]
    large.class_kinds.add(ClassKind.objects.get(name="Lớp tập huấn"))
    large.save()
    assignments.recompute()
    client.force_login(learner)

    assert "chưa lên kế hoạch lớp nào" in block(client)


def test_an_officer_nobody_requires_sees_no_block(client, learner, required, tree):
    name_courses(required[RequirementTarget.CORPS], 1)
    learner.officer.roles.all().delete()
    assignments.recompute()
    client.force_login(learner)

    assert block(client) == ""
    assert "Bắt buộc năm" not in client.get(reverse("learn:dashboard")).content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_the_block_costs_the_same_queries_for_one_or_four_courses(
    client, learner, required, count, django_assert_num_queries
):
    name_courses(required[RequirementTarget.CORPS], count)
    large = required[RequirementTarget.LARGE_GRASSROOTS]
    large.class_kinds.add(ClassKind.objects.get(name="Lớp tập huấn"))
    large.save()
    assignments.recompute()
    client.force_login(learner)
    client.get(reverse("learn:dashboard"))

    with django_assert_num_queries(21):  # the same with 1 or 4 required courses (and the invitations)
        html = block(client)
    assert html.count('class="required__item"') == count + 1
