"""Required courses are assigned by the year's rules and follow the roster and the rules."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery import current_app
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services as course_services
from courses.models import Enrolment, LessonCompletion, LessonPage
from courses.tests.conftest import build_course
from organizations.services import move_officer
from organizations.signals import roster_imported
from training.audit import assignments
from training.audit.services import copy_year_forward
from training.models import (
    Assignment,
    ClassKind,
    Requirement,
    RequirementCourse,
    RequirementRule,
    RequirementTarget,
)

from .audit_helpers import CORPS, LARGE, YEAR, Role, officer_with, program09_fixture  # noqa: F401

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def eager_tasks():
    """Tasks sent after commit run in this process (the worker round trip has its own test)."""
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = False


@pytest.fixture
def named(program09):
    """Program 09 of YEAR with two online courses on the corps target."""
    first, _, _ = build_course(slug="viet-bai")
    second, _, _ = build_course(slug="noi-truoc-dam-dong")
    corps = program09[CORPS]
    RequirementCourse.objects.create(requirement=corps, course=first, sort_order=0)
    RequirementCourse.objects.create(requirement=corps, course=second, sort_order=1)
    return {"corps": corps, "large": program09[LARGE], "courses": [first, second]}


def in_person_only(requirement):
    requirement.class_kinds.add(ClassKind.objects.get(name="Lớp tập huấn"))
    requirement.save()  # a cluster's many-to-many is written when the requirement is saved


def active(officer, year=YEAR):
    return set(
        Assignment.objects.active()
        .filter(officer=officer, year=year)
        .values_list("requirement__target", "course_id")
    )


def test_everyone_required_is_assigned_each_named_course_with_the_deadline(tree, named):
    first, second = named["courses"]
    propagandist = officer_with(tree["gb"], Role.PROPAGANDIST)
    manager_only = officer_with(tree["gb"], Role.UNIT_MANAGER)

    assert assignments.recompute(years=[YEAR]) == {"assigned": 2, "unassigned": 0}

    assert active(propagandist) == {(CORPS, first.pk), (CORPS, second.pk)}
    assert active(manager_only) == set()
    assert set(Assignment.objects.filter(officer=propagandist).values_list("deadline", flat=True)) == {
        date(YEAR, 12, 31)
    }


def test_a_requirement_met_only_in_person_assigns_one_class_row(tree, named):
    in_person_only(named["large"])
    chair = officer_with(tree["ga"], Role.GRASSROOTS_CHAIR)  # large union: target 3 only

    assignments.recompute(years=[YEAR])

    assert active(chair) == {(LARGE, None)}


def test_recompute_is_idempotent(tree, named):
    officer_with(tree["ga"], Role.PROPAGANDIST)
    officer_with(tree["gb"], Role.REPORTER)
    assignments.recompute(years=[YEAR])
    before = list(Assignment.objects.order_by("id").values())

    assert assignments.recompute(years=[YEAR]) == {"assigned": 0, "unassigned": 0}
    assert list(Assignment.objects.order_by("id").values()) == before


def test_a_full_recompute_runs_the_same_statements_for_3_or_30_officers(tree, named):
    def statements() -> int:
        Assignment.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assignments.recompute(years=[YEAR])
        return len(queries)

    for _ in range(3):
        officer_with(tree["gb"], Role.PROPAGANDIST)
    few = statements()
    for _ in range(27):
        officer_with(tree["ga"], Role.REPORTER)
    assert Assignment.objects.count() == 2 * 3
    many = statements()

    assert Assignment.objects.active().count() == 2 * 30
    assert many == few


def test_a_role_added_assigns_that_officer_only(tree, named, eager_tasks, django_capture_on_commit_callbacks):
    other = officer_with(tree["gb"], Role.UNIT_MANAGER)
    newcomer = officer_with(tree["gb"], Role.UNIT_MANAGER)
    # Someone required before the courses were assigned: a role change elsewhere leaves them alone.
    waiting = officer_with(tree["gb"], Role.REPORTER)

    with django_capture_on_commit_callbacks(execute=True):
        officer_with(tree["gb"], Role.PROPAGANDIST).delete()  # noise: a role added then gone
        from organizations.services import assign_role

        assign_role(officer=newcomer, role=Role.PROPAGANDIST, unit=tree["gb"], start_date=date(YEAR, 3, 1))

    assert len(active(newcomer)) == 2
    assert active(other) == set()
    assert active(waiting) == set()  # not this officer's change: the nightly run assigns them


def test_a_role_ended_before_the_year_unassigns_and_keeps_progress(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST, start=date(YEAR - 3, 1, 1))
    assignments.recompute(years=[YEAR])
    first = named["courses"][0]
    lesson = LessonPage.objects.child_of(first).first()
    course_services.complete_lesson(officer=officer, lesson=lesson)
    role = officer.roles.get()

    with django_capture_on_commit_callbacks(execute=True):
        # The register said the role had ended at the end of last year: not required this year.
        role.end_date = date(YEAR - 1, 12, 31)
        role.save()

    assert active(officer) == set()
    rows = Assignment.objects.filter(officer=officer)
    assert rows.count() == 2 and all(row.unassigned_at for row in rows)
    assert Enrolment.objects.filter(officer=officer, course=first).exists()
    assert LessonCompletion.objects.filter(officer=officer, lesson=lesson).exists()
    assert rows.get(course=first).started_at is not None  # what they did stays on the row

    with django_capture_on_commit_callbacks(execute=True):
        role.end_date = None
        role.save()
    # Required again: the same rows come back, with what was begun.
    assert len(active(officer)) == 2
    assert Assignment.objects.filter(officer=officer).count() == 2
    assert Assignment.objects.get(officer=officer, course=first).started_at is not None


def test_a_role_ending_during_the_year_keeps_the_assignment_like_the_audit(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    assignments.recompute(years=[YEAR])
    with django_capture_on_commit_callbacks(execute=True):
        from organizations.services import end_role

        end_role(assignment=officer.roles.get(), end_date=date(YEAR, 6, 30))
    # The audit counts a role that overlapped the year: the officer stays required for it.
    assert len(active(officer)) == 2


def test_an_officer_moved_to_a_large_union_is_assigned_its_requirement(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    in_person_only(named["large"])
    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    assignments.recompute(years=[YEAR])
    assert (LARGE, None) not in active(officer)

    with django_capture_on_commit_callbacks(execute=True):
        move_officer(officer=officer, to_unit=tree["ga"], on=date(YEAR, 5, 1))

    assert (LARGE, None) in active(officer)
    assert len([a for a in active(officer) if a[0] == CORPS]) == 2


def test_editing_the_requirement_moves_assignments(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    first, second = named["courses"]
    third, _, _ = build_course(slug="an-toan-mang")
    reporter = officer_with(tree["gb"], Role.REPORTER)
    propagandist = officer_with(tree["gb"], Role.PROPAGANDIST)
    assignments.recompute(years=[YEAR])
    corps = named["corps"]

    with django_capture_on_commit_callbacks(execute=True):
        RequirementCourse.objects.get(requirement=corps, course=second).delete()
        RequirementCourse.objects.create(requirement=corps, course=third)
        corps.deadline = date(YEAR, 10, 31)
        corps.save()
    assert active(reporter) == {(CORPS, first.pk), (CORPS, third.pk)}
    assert set(Assignment.objects.active().values_list("deadline", flat=True)) == {date(YEAR, 10, 31)}
    assert Assignment.objects.get(officer=reporter, course=second).unassigned_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        RequirementRule.objects.get(requirement=corps, role=Role.REPORTER).delete()
    assert active(reporter) == set()
    assert len(active(propagandist)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        Requirement.objects.filter(year=YEAR, target=RequirementTarget.STAFFING).delete()
        corps.target = RequirementTarget.STAFFING
        corps.save()
    assert Assignment.objects.active().count() == 0


def test_a_year_copied_forward_assigns_its_courses(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    with django_capture_on_commit_callbacks(execute=True):
        copy_year_forward(from_year=YEAR, to_year=YEAR + 1)

    rows = Assignment.objects.active().filter(officer=officer, year=YEAR + 1)
    assert {r.course_id for r in rows} == {c.pk for c in named["courses"]}
    assert {r.deadline for r in rows} == {date(YEAR + 1, 12, 31)}


def test_an_imported_roster_is_reassessed_for_everyone(
    tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    from organizations.models import RoleAssignment
    from organizations.services import open_roles

    officer = officer_with(tree["gb"])
    with django_capture_on_commit_callbacks(execute=True):
        # The import writes roles in bulk (no per-row signal) and announces the import once.
        open_roles(
            assignments=[
                RoleAssignment(
                    officer=officer, role=Role.REPORTER, unit=tree["gb"], start_date=date(YEAR, 1, 1)
                )
            ]
        )
        assert active(officer) == set()
        roster_imported.send(sender=None)
    assert len(active(officer)) == 2


def test_a_closed_year_is_left_as_it_was(tree, named):
    from training.models import YearClosure

    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    YearClosure.objects.create(year=YEAR)
    assert assignments.recompute(years=[YEAR]) == {"assigned": 0, "unassigned": 0}
    assert active(officer) == set()


# --- Announcements -------------------------------------------------------------------------------


def test_new_assignments_are_announced_once_a_day_in_one_message(tree, named):
    first, second = named["courses"]
    officer_with(tree["gb"], Role.PROPAGANDIST, email="tv@example.vn")
    corps = named["corps"]
    RequirementCourse.objects.filter(requirement=corps, course=second).delete()
    assignments.recompute(years=[YEAR])
    morning = datetime(YEAR, 3, 2, 8, 10, tzinfo=HANOI)

    assert assignments.announce(now=morning) == {"sent": 1, "unreachable": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tv@example.vn"]
    assert first.title in mail.outbox[0].body and "31/12/2026" in mail.outbox[0].body

    # A second course named the same day: no second message that day…
    RequirementCourse.objects.create(requirement=corps, course=second)
    third, _, _ = build_course(slug="khoa-ba")
    RequirementCourse.objects.create(requirement=corps, course=third)
    assignments.recompute(years=[YEAR])
    assert assignments.announce(now=morning + timedelta(hours=3)) == {"sent": 0, "unreachable": 0}
    assert len(mail.outbox) == 1

    # …the next day both come in one message.
    assert assignments.announce(now=morning + timedelta(days=1)) == {"sent": 1, "unreachable": 0}
    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert body.count("- ") == 2 and third.title in body
    assert assignments.announce(now=morning + timedelta(days=2)) == {"sent": 0, "unreachable": 0}


def test_an_officer_without_an_address_is_counted_not_written(tree, named):
    officer_with(tree["gb"], Role.PROPAGANDIST, email="")
    assignments.recompute(years=[YEAR])
    assert assignments.announce() == {"sent": 0, "unreachable": 1}
    assert mail.outbox == []


def test_an_auditor_names_courses_and_class_kinds_in_the_admin(
    client, admin_auditor, tree, named, eager_tasks, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    first, second = named["courses"]
    officer = officer_with(tree["ga"], Role.GRASSROOTS_CHAIR)  # target 3 only
    large = named["large"]
    rules = list(large.rules.all())
    kind = ClassKind.objects.get(name="Hội nghị báo cáo viên")
    client.force_login(admin_auditor)
    assert (
        'name="course_links-TOTAL_FORMS"'
        in client.get(f"/admin/training/requirements/edit/{large.pk}/").content.decode()
    )
    data = nested_form_data(
        {
            "year": YEAR,
            "target": LARGE,
            "title": large.title,
            "min_trainings": 1,
            "min_hours": "0",
            "deadline": f"{YEAR}-11-30",
            "notes": "",
            "rules": inline_formset(
                [
                    {"id": r.pk, "role": r.role, "unit_level": r.unit_level, "min_workers": r.min_workers}
                    for r in rules
                ],
                initial=len(rules),
            ),
            "course_links": inline_formset([{"course": second.pk}]),
        }
    )
    data["class_kinds"] = [str(kind.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/training/requirements/edit/{large.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response

    large.refresh_from_db()
    assert list(large.class_kinds.all()) == [kind]
    assert active(officer) == {(LARGE, second.pk)}
    assert Assignment.objects.get(officer=officer).deadline == date(YEAR, 11, 30)


def test_a_phone_only_officer_is_told_by_sms_through_the_notifications_layer(tree, named, settings):
    """No e-mail, a phone and an SMS gateway: the announcement is the short SMS, sent once."""
    from notifications.models import Message, MessageKind, MessageState
    from notifications.testing.stubs import SmsStub, sms_settings

    settings.NOTIFY_CONSOLE = False
    settings.NOTIFY_HTTP_TIMEOUT = 1
    officer = officer_with(tree["gb"], Role.PROPAGANDIST, email="")
    officer.phone = "0912 345 678"
    officer.save()
    assignments.recompute(years=[YEAR])
    with SmsStub(timeout_delay=2) as stub:
        settings.NOTIFY_SMS = sms_settings(stub)
        assert assignments.announce() == {"sent": 1, "unreachable": 0}
        assert assignments.announce() == {"sent": 0, "unreachable": 0}
    (sent,) = stub.sent
    assert sent["Phone"] == "84912345678" and "31/12/2026" in sent["Content"]
    (message,) = Message.objects.filter(kind=MessageKind.ASSIGNMENT)
    assert (message.channel, message.state) == ("sms", MessageState.SENT)
    assert mail.outbox == []
