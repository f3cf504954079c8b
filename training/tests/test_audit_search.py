"""The audit's officer list finds people by name typed without diacritics, live and for a closed year."""

from datetime import date

from organizations.models import Officer, Role
from training.audit.close_year import close_year
from training.audit.selectors import AuditSource, officer_list

from .audit_helpers import YEAR, officer_with, program09_fixture, record  # noqa: F401  (fixture)


def found(user, search, year=YEAR):
    rows = officer_list(AuditSource.for_year(year), user, None, search=search, status="all")
    return {Officer.objects.get(pk=row["officer_id"]).full_name for row in rows}


def test_untrained_officers_are_found_without_diacritics(tree, program09, manager_a):
    officer_with(tree["ga"], Role.PROPAGANDIST, family_name="Đặng", middle_name="Thị", given_name="Hương")
    officer_with(tree["gb"], Role.PROPAGANDIST, family_name="Đặng", middle_name="Thị", given_name="Hường")
    trained = officer_with(tree["ga"], Role.REPORTER, family_name="Lê", middle_name="Văn", given_name="Tùng")
    record(trained, date(YEAR, 3, 1))
    assert found(None, "dang thi huong") == {"Đặng Thị Hương", "Đặng Thị Hường"}
    assert found(manager_a, "DANG huong") == {"Đặng Thị Hương"}  # district B's stays out of scope
    assert found(None, "le tung") == {"Lê Văn Tùng"}
    assert found(None, "dang tung") == set()  # every word must match


def test_a_closed_years_officers_are_found_without_diacritics(tree, program09, auditor):
    officer_with(tree["gb"], Role.REPORTER, family_name="Võ", middle_name="Minh", given_name="Đức")
    close_year(year=YEAR, by=auditor, today=date(YEAR + 1, 1, 2))
    assert AuditSource.for_year(YEAR).frozen
    assert found(None, "vo minh duc") == {"Võ Minh Đức"}
    assert found(None, "Võ Minh Đức") == {"Võ Minh Đức"}
    assert found(None, "vo an") == set()
