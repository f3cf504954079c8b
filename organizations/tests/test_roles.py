from datetime import UTC, date

from django.urls import reverse

from organizations.models import Role, RoleAssignment
from organizations.services import assign_role, end_role, move_officer

from .factories import OfficerFactory


def test_ended_assignment_stays_in_history(client, tree, auditor):
    officer = OfficerFactory(unit=tree["ga"])
    old = assign_role(officer=officer, role=Role.REPORTER, unit=tree["ga"], start_date=date(2020, 1, 1))
    end_role(assignment=old, end_date=date(2022, 6, 30))
    assign_role(officer=officer, role=Role.PROPAGANDIST, unit=tree["ga"], start_date=date(2022, 7, 1))

    assert RoleAssignment.objects.filter(officer=officer).count() == 2
    assert list(RoleAssignment.objects.active_on(date(2023, 1, 1)).filter(officer=officer)) != [old]
    client.force_login(auditor)
    page = client.get(reverse("organizations:officer_detail", args=[officer.pk])).text
    assert "30/06/2022" in page and "01/01/2020" in page
    assert "Báo cáo viên" in page and "Tuyên truyền viên" in page


def test_assign_role_is_idempotent(tree):
    officer = OfficerFactory(unit=tree["ga"])
    first = assign_role(officer=officer, role=Role.REPORTER, unit=tree["ga"], start_date=date(2020, 1, 1))
    again = assign_role(officer=officer, role=Role.REPORTER, unit=tree["ga"], start_date=date(2021, 1, 1))
    assert first == again
    assert officer.roles.count() == 1


def test_move_between_units_keeps_both_assignments(tree):
    officer = OfficerFactory(unit=tree["ga"])
    assign_role(officer=officer, role=Role.PROPAGANDIST, unit=tree["ga"], start_date=date(2020, 1, 1))
    move_officer(officer=officer, to_unit=tree["gb"], on=date(2024, 6, 1))
    roles = list(officer.roles.order_by("start_date"))
    assert [(r.unit, r.end_date) for r in roles] == [(tree["ga"], date(2024, 6, 1)), (tree["gb"], None)]
    assert officer.unit == tree["gb"]


def test_active_in_year_overlaps(tree):
    officer = OfficerFactory(unit=tree["ga"])
    RoleAssignment.objects.create(
        officer=officer,
        role=Role.REPORTER,
        unit=tree["ga"],
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
    )
    RoleAssignment.objects.create(
        officer=officer, role=Role.PROPAGANDIST, unit=tree["ga"], start_date=date(2025, 11, 20)
    )
    assert set(RoleAssignment.objects.active_in_year(2025).values_list("role", flat=True)) == {
        Role.PROPAGANDIST
    }
    assert set(RoleAssignment.objects.active_in_year(2024).values_list("role", flat=True)) == {Role.REPORTER}


def test_a_role_is_current_by_the_local_date_in_hanoi(client, tree, auditor, monkeypatch):
    """18:00 UTC on 14 March is already 15 March in Hà Nội (UTC+7)."""
    from datetime import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 14, 18, 0, tzinfo=UTC))
    officer = OfficerFactory(unit=tree["ga"])
    starts = assign_role(officer=officer, role=Role.REPORTER, unit=tree["ga"], start_date=date(2026, 3, 15))
    ended = assign_role(officer=officer, role=Role.PROPAGANDIST, unit=tree["ga"], start_date=date(2025, 1, 1))
    end_role(assignment=ended, end_date=date(2026, 3, 14))
    end_role(assignment=starts, end_date=date(2026, 3, 15))  # a one-day role: current only on the 15th
    assert starts.is_current and not ended.is_current
    client.force_login(auditor)
    page = client.get(reverse("organizations:officer_detail", args=[officer.pk])).text
    assert page.count("Đã kết thúc") == 1
