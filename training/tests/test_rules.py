"""Every edge of who is required and who is trained (docs/audit.md, "The rules")."""

from datetime import date

import pytest

from organizations.models import Role, UnitLevel
from organizations.services import move_officer
from organizations.tests.factories import UnitFactory
from training.audit.rules import officer_year
from training.audit.selectors import AuditSource, node_of, role_rows, unit_rows

from .audit_helpers import (
    CORPS,
    LARGE,
    STAFFING,
    YEAR,
    figures,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)


def test_exactly_1000_workers_is_large_and_999_is_not(tree, program09):
    big = UnitFactory(parent=tree["a"], level=UnitLevel.GRASSROOTS, worker_count=1000)
    small = UnitFactory(parent=tree["a"], level=UnitLevel.GRASSROOTS, worker_count=999)
    officer_with(big, Role.GRASSROOTS_CHAIR)
    officer_with(small, Role.GRASSROOTS_CHAIR)
    officer_with(big, Role.PROPAGANDIST)
    result = figures()
    # Target 3 concerns the chair and the propagandist at 1,000 workers, not the chair at 999.
    assert result[LARGE] == (2, 0)
    # Staffing: the two districts, CS-A (1,200) and the 1,000-worker union; 999 is not required.
    assert result[STAFFING] == (4, 1)


def test_move_between_units_mid_year_counts_once_and_in_both_subtrees(tree, program09):
    officer = officer_with(tree["ga"], Role.PROPAGANDIST, start=date(2025, 1, 1))
    move_officer(officer=officer, to_unit=tree["gb"], on=date(YEAR, 6, 15))
    record(officer, date(YEAR, 9, 1))
    assert figures()[CORPS] == (1, 1)
    source = AuditSource.for_year(YEAR)
    rows = {r.node.code: r for r in unit_rows(source, None, node_of(tree["city"]))}
    assert rows["Q-BD"].figures[CORPS].required == 1
    assert rows["Q-CG"].figures[CORPS].required == 1
    # Trained is a property of the person for the year: it counts under both units.
    assert rows["Q-BD"].figures[CORPS].done == rows["Q-CG"].figures[CORPS].done == 1
    # Target 3: held at the large CS-A for part of the year, so required there.
    assert figures()[LARGE] == (1, 1)


def test_two_roles_at_once_count_once_per_target(tree, program09):
    officer_with(tree["ga"], Role.PROPAGANDIST, Role.REPORTER)
    assert figures()[CORPS] == (1, 0)
    assert figures()[LARGE] == (1, 0)
    rows = {r.role: r for r in role_rows(AuditSource.for_year(YEAR), None, None)}
    assert rows[Role.PROPAGANDIST].figures[CORPS].required == 1
    assert rows[Role.REPORTER].figures[CORPS].required == 1


def test_training_on_31_12_counts_and_on_01_01_counts_for_the_next_year(tree, program09):
    late = officer_with(tree["gb"], Role.REPORTER)
    early = officer_with(tree["gb"], Role.REPORTER)
    record(late, date(YEAR, 12, 31))
    record(early, date(YEAR + 1, 1, 1))
    assert figures()[CORPS] == (2, 1)
    status = officer_year(early, YEAR)
    assert status.required and not status.done


def test_training_before_the_year_does_not_count(tree, program09):
    officer = officer_with(tree["gb"], Role.REPORTER)
    record(officer, date(YEAR - 1, 12, 31))
    assert figures()[CORPS] == (1, 0)
    assert figures(year=YEAR - 1)[CORPS] == (1, 1)


def test_voided_record_does_not_count(tree, program09):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    record(officer, date(YEAR, 5, 1), voided=True)
    assert figures()[CORPS] == (1, 0)


def test_training_that_does_not_count_toward_the_requirement(tree, program09):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST)
    record(officer, date(YEAR, 5, 1), counts=False)
    assert figures()[CORPS] == (1, 0)
    assert not officer_year(officer, YEAR).done


def test_training_before_the_role_began_counts(tree, program09):
    officer = officer_with(tree["gb"], Role.PROPAGANDIST, start=date(YEAR, 11, 1))
    record(officer, date(YEAR, 3, 1))
    assert figures()[CORPS] == (1, 1)


@pytest.mark.parametrize(
    ("start", "end", "required"),
    [
        (date(2020, 1, 1), date(YEAR - 1, 12, 31), False),  # ended 31/12 of the year before
        (date(2020, 1, 1), date(YEAR, 1, 1), True),  # ended on 01/01
        (date(2020, 1, 1), date(YEAR, 2, 10), True),  # ended in February
        (date(YEAR, 11, 20), None, True),  # starts in November
        (date(YEAR, 12, 31), None, True),  # starts on the last day
        (date(YEAR + 1, 1, 1), None, False),  # starts next year
    ],
)
def test_assignment_overlapping_the_year_at_all(tree, program09, start, end, required):
    officer_with(tree["gb"], Role.OPINION_COLLABORATOR, start=start, end=end)
    assert figures()[CORPS] == ((1, 0) if required else (0, 0))


@pytest.mark.parametrize(
    ("dissolved_on", "counted"),
    [(date(YEAR - 1, 12, 31), False), (date(YEAR, 1, 1), True), (date(YEAR, 7, 1), True), (None, True)],
)
def test_unit_dissolved_before_vs_during_the_year(tree, program09, dissolved_on, counted):
    unit = UnitFactory(
        parent=tree["a"], level=UnitLevel.GRASSROOTS, worker_count=1500, dissolved_on=dissolved_on
    )
    officer_with(unit, Role.PROPAGANDIST)
    assert figures()[CORPS] == ((1, 0) if counted else (0, 0))
    assert figures()[LARGE] == ((1, 0) if counted else (0, 0))
    # Staffing: the two districts and CS-A always; the dissolved union only when it existed.
    assert figures()[STAFFING] == ((4, 1) if counted else (3, 0))


def test_propaganda_officer_counts_at_city_and_upper_level_only(tree, program09):
    officer_with(tree["city"], Role.PROPAGANDA_OFFICER)
    officer_with(tree["a"], Role.PROPAGANDA_OFFICER)
    officer_with(tree["ga"], Role.PROPAGANDA_OFFICER)  # not a target-2 role at a grassroots union
    officer_with(tree["ga"], Role.UNIT_MANAGER)  # managers are never required
    assert figures()[CORPS] == (2, 0)
    assert figures()[LARGE] == (0, 0)


def test_chair_is_required_only_at_large_grassroots(tree, program09):
    officer_with(tree["ga"], Role.GRASSROOTS_CHAIR)
    officer_with(tree["gb"], Role.GRASSROOTS_CHAIR)
    assert figures()[LARGE] == (1, 0)
    assert figures()[CORPS] == (0, 0)


def test_staffing_is_judged_at_the_unit_itself(tree, program09):
    # A propagandist at the grassroots union CS-A does not staff its district.
    officer_with(tree["ga"], Role.PROPAGANDIST)
    source = AuditSource.for_year(YEAR)
    rows = {r.node.code: r for r in unit_rows(source, None, node_of(tree["city"]))}
    assert (rows["Q-BD"].figures[STAFFING].required, rows["Q-BD"].figures[STAFFING].done) == (2, 1)
    drill = {r.node.code: r for r in unit_rows(source, None, node_of(tree["a"]))}
    assert drill["Q-BD"].is_self and drill["Q-BD"].figures[STAFFING].done == 0
    assert drill["CS-A"].figures[STAFFING].done == 1
    officer_with(tree["a"], Role.PROPAGANDIST)
    assert figures()[STAFFING] == (3, 2)


def test_staffing_needs_an_assignment_active_in_the_year(tree, program09):
    officer_with(tree["a"], Role.PROPAGANDIST, end=date(YEAR - 1, 12, 31))
    officer_with(tree["b"], Role.PROPAGANDIST, start=date(YEAR, 12, 1))
    assert figures()[STAFFING] == (3, 1)


def test_minimum_hours_and_count_are_data(tree, program09):
    corps = program09[CORPS]
    corps.min_trainings = 2
    corps.min_hours = 8
    corps.save()
    one = officer_with(tree["gb"], Role.REPORTER)
    two_short = officer_with(tree["gb"], Role.REPORTER)
    two_enough = officer_with(tree["gb"], Role.REPORTER)
    record(one, date(YEAR, 3, 1), hours=16)
    record(two_short, date(YEAR, 3, 1), hours=2)
    record(two_short, date(YEAR, 4, 1), hours=2)
    record(two_enough, date(YEAR, 3, 1), hours=4)
    record(two_enough, date(YEAR, 4, 1), hours=4)
    assert figures()[CORPS] == (3, 1)
    assert [officer_year(o, YEAR).done for o in (one, two_short, two_enough)] == [False, False, True]


def test_deadline_before_year_end_excludes_later_trainings(tree, program09):
    corps = program09[CORPS]
    corps.deadline = date(YEAR, 11, 30)
    corps.save()
    officer = officer_with(tree["gb"], Role.REPORTER)
    record(officer, date(YEAR, 12, 15))
    assert figures()[CORPS] == (1, 0)


def test_no_requirement_for_the_year_means_no_figures(tree, db):
    officer_with(tree["gb"], Role.REPORTER)
    assert figures() == {STAFFING: None, CORPS: None, LARGE: None}


def test_learner_status_names_the_target_and_assignment(tree, program09):
    officer = officer_with(tree["ga"], Role.PROPAGANDIST)
    status = officer_year(officer, YEAR)
    assert [t.requirement.target for t in status.required] == [CORPS, LARGE]
    assert status.required[0].assignments[0].unit == tree["ga"]
    record(officer, date(YEAR, 2, 1))
    assert officer_year(officer, YEAR).done
    outsider = officer_with(tree["gb"], Role.UNIT_MANAGER)
    assert officer_year(outsider, YEAR).required == []
