"""The demo: Program 09 for two years, a mix of trained and untrained, last year closed; idempotent."""

from django.core.management import call_command
from django.utils import timezone

from organizations.models import Unit
from training.audit.selectors import AuditSource, headline, node_of, unit_rows
from training.models import Requirement, TrainingRecord, YearClosure


def test_seed_demo_twice_builds_a_realistic_audit_and_changes_nothing(db):
    call_command("seed_demo")
    year = timezone.localdate().year
    counts = (Requirement.objects.count(), TrainingRecord.objects.count(), YearClosure.objects.count())
    call_command("seed_demo")
    assert (
        Requirement.objects.count(),
        TrainingRecord.objects.count(),
        YearClosure.objects.count(),
    ) == counts
    assert set(Requirement.objects.values_list("year", flat=True)) == {year - 1, year}
    assert YearClosure.objects.get().year == year - 1
    assert AuditSource.for_year(year - 1).frozen
    figures = headline(AuditSource.for_year(year), None, None)
    for target in ("corps", "large_grassroots", "staffing"):
        assert 0 < figures[target].done < figures[target].required
    rows = unit_rows(AuditSource.for_year(year), None, node_of(Unit.objects.get(code="LDLD-HN")))
    rates = [r.figures["corps"].percent for r in rows if r.figures["corps"].required]
    assert min(rates) < max(rates)
    staffing = [r.figures["staffing"] for r in rows if not r.is_self]
    assert any(f.done == f.required for f in staffing) and any(f.done < f.required for f in staffing)
