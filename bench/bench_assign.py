"""Benchmark of required-course assignment at Hanoi scale, against a floor in the same run.

Seeds the audit bench's synthetic roster (~15,000 grassroots unions, ~100,000 officers with
role histories, by PostgreSQL ``COPY``; ``--scale`` multiplies it), names two online courses on
Program 09's target 2 and one on target 3, then times:

- the whole city's first recomputation (every required officer assigned: INSERT … SELECT),
- a whole-city recomputation with nothing to change (idempotent; the nightly run),
- a whole-city recomputation after a course is added to target 2 (one new row per officer),
- one officer's re-evaluation after a role is added to them (what a roster edit enqueues),

against the floor: the plain SELECT of the year's required officers through the same rules
(``rules.required_assignments``), city-wide or for the one officer. Targets: city < 60 s,
one officer < 200 ms.

Needs PostgreSQL and a THROWAWAY database (it replaces the roster):
    pg_virtualenv bash -c 'DATABASE_URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \
        .venv/bin/python bench/bench_assign.py'
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
# Saving the requirements enqueues recomputations after commit: send them nowhere, the bench
# calls the recomputation itself and times it.
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def medians_ms(fn, floor, runs: int) -> tuple[float, float]:
    """Medians of ``fn`` and ``floor``, run alternately so load on the machine hits both alike."""
    fn(), floor()  # warm up
    times, floors = [], []
    for _ in range(runs):
        times.append(timed(fn))
        floors.append(timed(floor))
    return statistics.median(times), statistics.median(floors)


def line(label: str, ms: float, floor: float) -> None:
    print(f"{label:<58} {ms:10.1f} ms   floor {floor:8.1f} ms   ratio {ms / floor:6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the Hanoi-scale sizes (default 1)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_assign needs PostgreSQL: set DATABASE_URL to a throwaway database (see the docstring).")
        return 2

    import django

    django.setup()
    from bench_audit import seed
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from organizations.models import Officer, Role, RoleAssignment
    from training.audit import assignments, rules
    from training.audit.services import ensure_program09
    from training.models import Assignment, RequirementCourse, RequirementTarget

    year = date.today().year
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = seed(args.scale, year)
    requirements = {r.target: r for r in ensure_program09(year)}
    root = Page.objects.get(depth=1)
    pages = [
        root.add_child(instance=Page(title=f"Khoá bắt buộc {n}", slug=f"bat-buoc-{n}")) for n in range(4)
    ]
    corps, large = requirements[RequirementTarget.CORPS], requirements[RequirementTarget.LARGE_GRASSROOTS]
    RequirementCourse.objects.create(requirement=corps, course=pages[0], sort_order=0)
    RequirementCourse.objects.create(requirement=corps, course=pages[1], sort_order=1)
    RequirementCourse.objects.create(requirement=large, course=pages[2], sort_order=0)
    print(f"Seeded {counts} in {time.perf_counter() - started:.1f} s (PostgreSQL, scale {args.scale})")

    def required_officers(officer_ids=None) -> int:
        total = 0
        for requirement in (corps, large):
            qs = rules.required_assignments(requirement)
            if officer_ids is not None:
                qs = qs.filter(officer_id__in=officer_ids)
            total += len(qs.values_list("officer_id", flat=True).distinct())
        return total

    def recompute(**kwargs):
        return assignments.recompute(years=[year], **kwargs)

    # The whole city, first time: everyone required is assigned.
    floor_ms = statistics.median(timed(required_officers) for _ in range(args.runs))
    with CaptureQueriesContext(connection) as queries:
        first_ms = timed(lambda: recompute())
    made = Assignment.objects.active().count()
    print(f"Required officers: {required_officers()} (targets 2 and 3); assignments made: {made}")
    print(f"Statements in a whole-city recomputation: {len(queries)}")
    line("city, first recomputation (all assigned)", first_ms, floor_ms)

    idle_ms, idle_floor = medians_ms(lambda: recompute(), required_officers, args.runs)
    line("city, nothing to change (median)", idle_ms, idle_floor)

    RequirementCourse.objects.create(requirement=corps, course=pages[3], sort_order=2)
    added_ms = timed(lambda: recompute())
    print(f"  a course added to target 2: {Assignment.objects.active().count() - made} new assignments")
    line("city, after a course is added to target 2", added_ms, floor_ms)

    # One officer: a role added at a large grassroots union, then re-evaluated alone.
    rng = random.Random(7)
    officer_ids = list(Officer.objects.values_list("id", flat=True)[:5000])
    unit_id = (
        RoleAssignment.objects.filter(unit__level="grassroots", unit__worker_count__gte=1000)
        .values_list("unit_id", flat=True)
        .first()
    )
    one_times, one_floors = [], []
    for _ in range(args.runs * 4):
        officer_id = rng.choice(officer_ids)
        RoleAssignment.objects.bulk_create(  # as the import writes it: no signal, timed below
            [
                RoleAssignment(
                    officer_id=officer_id, role=Role.REPORTER, unit_id=unit_id, start_date=date(year, 3, 1)
                )
            ]
        )
        with CaptureQueriesContext(connection) as queries:
            one_times.append(timed(lambda officer_id=officer_id: recompute(officer_ids=[officer_id])))
        one_floors.append(timed(lambda officer_id=officer_id: required_officers([officer_id])))
    print(f"Statements for one officer: {len(queries)}")
    line(
        "one officer after a role is added (median)",
        statistics.median(one_times),
        statistics.median(one_floors),
    )
    print(f"  slowest of {len(one_times)}: {max(one_times):.1f} ms")

    ok = first_ms < 60_000 and added_ms < 60_000 and statistics.median(one_times) < 200
    print("Targets (city < 60 s, one officer < 200 ms):", "met" if ok else "NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
