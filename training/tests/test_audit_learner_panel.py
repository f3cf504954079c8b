"""The learner's panel on /learn/: required or not, which target, done or not, deadline, records."""

from datetime import date

from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from organizations.models import Role
from organizations.tests.factories import RoleAssignmentFactory, UserFactory

from .audit_helpers import (
    YEAR,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)


def render_for(user, year=YEAR):
    """The panel for ``year`` (the project include shows the current year)."""
    request = RequestFactory().get("/learn/")
    request.user = user
    return Template("{% load training_tags %}{% learn_requirement year %}").render(
        Context({"request": request, "year": year})
    )


def test_project_include_renders_the_panel(tree, program09, learner):
    request = RequestFactory().get("/learn/")
    request.user = learner
    assert 'id="learn-requirement"' in render_to_string(
        "includes/learn_requirement.html", {"request": request}
    )


def test_required_learner_sees_target_deadline_and_records(tree, program09, learner, settings):
    officer = learner.officer
    RoleAssignmentFactory(
        officer=officer, unit=tree["ga"], role=Role.PROPAGANDIST, start_date=date(2020, 1, 1)
    )
    html = render_for(learner)
    assert "Mục tiêu 2" in html and "Mục tiêu 3" in html
    assert "Chưa hoàn thành" in html and "31/12/2026" in html
    assert "Tuyên truyền viên — CĐCS Công ty May Ba Đình" in html
    record(officer, date(YEAR, 3, 5), title="Lớp tập huấn kỹ năng tuyên truyền")
    record(officer, date(YEAR, 4, 5), title="Buổi sinh hoạt chuyên đề", counts=False)
    html = render_for(learner)
    assert "Đã hoàn thành" in html and "Chưa hoàn thành" not in html
    assert "05/03/2026 · Lớp tập huấn kỹ năng tuyên truyền" in html
    assert "Không tính vào yêu cầu" in html
    assert '<a href="/training/my-records/">Toàn bộ quá trình bồi dưỡng của tôi, mọi năm</a>' in html


def test_learner_without_a_qualifying_role_is_told_so(tree, program09, learner):
    html = render_for(learner)
    assert "không thuộc diện bắt buộc" in html


def test_user_without_officer_sees_nothing(db, program09):
    assert render_for(UserFactory()).strip() == ""


def test_a_passed_early_deadline_shows_overdue_and_a_late_training_does_not_count(
    tree, program09, learner, monkeypatch
):
    from django.utils import timezone

    from training.models import Requirement

    RoleAssignmentFactory(
        officer=learner.officer, unit=tree["gb"], role=Role.REPORTER, start_date=date(2020, 1, 1)
    )
    Requirement.objects.filter(pk=program09["corps"].pk).update(deadline=date(YEAR, 6, 30))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR, 6, 30))
    html = render_for(learner)
    assert "Chưa hoàn thành" in html and "Quá hạn" not in html  # 30/06 is still in time
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR, 7, 1))
    record(learner.officer, date(YEAR, 7, 1), title="Lớp tập huấn sau hạn")
    html = render_for(learner)
    assert "Quá hạn" in html and "Chưa hoàn thành" not in html
    assert "không còn được tính cho chỉ tiêu này" in html
    assert "01/07/2026 · Lớp tập huấn sau hạn" in html  # recorded all the same
