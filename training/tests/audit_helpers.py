"""Helpers for the requirement and audit tests (the classes tests keep their own)."""

from datetime import date
from decimal import Decimal

import pytest

from organizations.models import Role
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory
from training.audit.selectors import AuditSource, headline
from training.audit.services import ensure_program09
from training.models import RecordSource, RequirementTarget, TrainingKind, TrainingRecord

YEAR = 2026
STAFFING = RequirementTarget.STAFFING
CORPS = RequirementTarget.CORPS
LARGE = RequirementTarget.LARGE_GRASSROOTS


@pytest.fixture(name="program09")
def program09_fixture(db):
    ensure_program09(YEAR - 1)
    return {r.target: r for r in ensure_program09(YEAR)}


@pytest.fixture(name="manager_of_both")
def manager_of_both_fixture(tree):
    """One person managing both districts of ``tree``: two separate subtrees, not the city."""
    from conftest import make_manager

    user = make_manager(tree["a"], "two.districts@example.vn")
    RoleAssignmentFactory(
        officer=user.officer, unit=tree["b"], role=Role.UNIT_MANAGER, start_date=date(2020, 1, 1)
    )
    return user


def officer_with(unit, *roles, start=date(2020, 1, 1), end=None, **fields):
    """An officer whose home unit is ``unit`` holding ``roles`` there."""
    officer = OfficerFactory(unit=unit, **fields)
    for role in roles:
        RoleAssignmentFactory(officer=officer, unit=unit, role=role, start_date=start, end_date=end)
    return officer


def record(officer, on: date, *, counts=True, hours=4, voided=False, title="Lớp bồi dưỡng nghiệp vụ"):
    from django.utils import timezone

    return TrainingRecord.objects.create(
        officer=officer,
        kind=TrainingKind.IN_PERSON_CLASS,
        title=title,
        completed_on=on,
        hours=Decimal(hours),
        counts_toward_requirement=counts,
        source=RecordSource.MANUAL,
        voided_at=timezone.now() if voided else None,
        void_reason="Ghi nhầm" if voided else "",
    )


def figures(user=None, node=None, year=YEAR):
    """Headline figures as plain (required, done) pairs."""
    result = headline(AuditSource.for_year(year), user, node)
    return {t: (f.required, f.done) if f else None for t, f in result.items()}


__all__ = [
    "CORPS",
    "LARGE",
    "STAFFING",
    "YEAR",
    "Role",
    "figures",
    "manager_of_both_fixture",
    "officer_with",
    "program09_fixture",
    "record",
]
