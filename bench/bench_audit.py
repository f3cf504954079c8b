"""Benchmark of the training audit at Hanoi scale, against the raw SQL floor in the same run.

Seeds ~60 upper-level unions, ~15,000 grassroots unions, ~100,000 officers with role
histories and ~500,000 training records over 5 years (``--scale`` multiplies these) by
PostgreSQL ``COPY``, then times, as medians of several runs:

- the city-wide audit page (/audit/, all three targets: headline + one row per upper union),
- one upper-level union's drill-down page,
- the city-wide .xlsx export of the same screen,

each against hand-written SQL computing the same numbers (one ``GROUPING SETS``
statement per target, ancestors read off the fixed-width path).

Needs PostgreSQL and a THROWAWAY database (it replaces the roster):
    pg_virtualenv bash -c 'DATABASE_URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \
        .venv/bin/python bench/bench_audit.py'
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(scale: float, year: int, seed_value: int = 2026) -> dict:
    """Bulk-load a synthetic roster and ledger. Returns counts."""
    from django.db import connection

    from core.vietnamese.folding import fold

    rng = random.Random(seed_value)
    n_upper = max(2, round(60 * scale))
    n_grassroots = max(4, round(15000 * scale))
    target_officers = max(50, round(100_000 * scale))
    target_records = max(100, round(500_000 * scale))
    years = list(range(year - 4, year + 1))

    units = []  # (id, path, depth, numchild, code, name, level, kind, workers, dissolved)
    per_upper = [n_grassroots // n_upper + (1 if i < n_grassroots % n_upper else 0) for i in range(n_upper)]
    units.append(
        [1, step(1), 1, n_upper, "LDLD-HN", "Liên đoàn Lao động thành phố Hà Nội", "city", "", 0, None]
    )
    uid = 1
    upper_ids, grassroots = [], []
    for i in range(n_upper):
        uid += 1
        path = step(1) + step(i + 1)
        upper_ids.append((uid, path))
        units.append(
            [
                uid,
                path,
                2,
                per_upper[i],
                f"U{i:03d}",
                f"Công đoàn cấp trên {i:03d}",
                "upper",
                "district",
                0,
                None,
            ]
        )
    for i, (_upper_id, upper_path) in enumerate(upper_ids):
        for j in range(per_upper[i]):
            uid += 1
            workers = (
                rng.choice([50, 120, 300, 600, 900, 999, 1000, 1200, 2500, 6000])
                if rng.random() < 0.5
                else rng.randint(20, 900)
            )
            dissolved = None
            roll = rng.random()
            if roll < 0.01:
                dissolved = date(year - 1, rng.randint(1, 12), 1)
            elif roll < 0.02:
                dissolved = date(year, rng.randint(1, 12), 1)
            units.append(
                [
                    uid,
                    upper_path + step(j + 1),
                    3,
                    0,
                    f"G{i:03d}-{j:05d}",
                    f"CĐCS số {i}-{j}",
                    "grassroots",
                    "",
                    workers,
                    dissolved,
                ]
            )
            grassroots.append((uid, workers))

    officers, assignments = [], []
    officer_id = 0
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Nam", "Phong", "Thảo", "Trang", "Việt"]

    def new_officer(unit_id):
        nonlocal officer_id
        officer_id += 1
        name = rng.choice(given)
        officers.append(
            [
                officer_id,
                f"B{officer_id:07d}",
                "Nguyễn",
                "Văn",
                name,
                unit_id,
                f"{name.lower()} nguyen van {officer_id:07d}",
            ]
        )
        return officer_id

    def assign(oid, role, unit_id):
        start = date(rng.randint(year - 8, year), rng.randint(1, 12), 1)
        end = None
        roll = rng.random()
        if roll < 0.1:
            end = date(year - 1, 12, 31) if start <= date(year - 1, 12, 31) else None
        elif roll < 0.2:
            end = start + timedelta(days=rng.randint(30, 900))
        assignments.append([oid, role, unit_id, start, end])

    for _ in range(max(3, round(10 * scale))):
        assign(new_officer(1), "propaganda_officer", 1)
    for upper_id, _path in upper_ids:
        for role in (
            ["propaganda_officer", "propaganda_officer", "reporter", "unit_manager"]
            + ["propagandist"] * (1 if rng.random() > 0.1 else 0)
            + ["opinion_collaborator"] * 3
        ):
            assign(new_officer(upper_id), role, upper_id)
    per_unit = max(1.0, (target_officers - len(officers)) / max(len(grassroots), 1))
    for unit_id, workers in grassroots:
        count = int(per_unit) + (1 if rng.random() < per_unit - int(per_unit) else 0)
        for k in range(count):
            oid = new_officer(unit_id)
            if k == 0:
                assign(oid, "grassroots_chair", unit_id)
                if rng.random() < 0.3:
                    assign(oid, "unit_manager", unit_id)
            elif k == 1 and (workers >= 1000 or rng.random() < 0.6):
                assign(oid, "propagandist", unit_id)
            else:
                assign(
                    oid,
                    rng.choice(["reporter", "propagandist", "opinion_collaborator", "opinion_collaborator"]),
                    unit_id,
                )
            if rng.random() < 0.03:  # moved from another unit during the year
                other = rng.choice(grassroots)[0]
                assignments.append([oid, "propagandist", other, date(year - 2, 1, 1), date(year, 6, 30)])

    records = []
    for rid in range(1, target_records + 1):
        y = rng.choice(years)
        completed = date(y, 1, 1) + timedelta(days=rng.randint(0, 364))
        records.append(
            [
                rid,
                rng.randint(1, officer_id),
                "in_person_class",
                "Lớp bồi dưỡng",
                completed,
                y,
                "4.0",
                rng.random() > 0.05,
                "manual",
                "2026-01-01 00:00:00+07",
                "2026-01-02 00:00:00+07" if rng.random() < 0.03 else None,
            ]
        )

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(
            "TRUNCATE training_trainingrecord, organizations_roleassignment, organizations_officer, "
            "organizations_unit RESTART IDENTITY CASCADE"
        )
        copy_rows(
            cursor,
            "organizations_unit",
            [
                "id",
                "path",
                "depth",
                "numchild",
                "code",
                "name",
                "level",
                "kind",
                "worker_count",
                "dissolved_on",
                "is_active",
                "search_name",
            ],
            ([*u, u[9] is None, fold(u[5])] for u in units),
        )
        copy_rows(
            cursor,
            "organizations_officer",
            [
                "id",
                "code",
                "family_name",
                "middle_name",
                "given_name",
                "unit_id",
                "sort_key",
                "phone",
                "email",
                "gender",
                "search_name",
            ],
            ([*o, "", "", "male", fold(" ".join(o[2:5]))] for o in officers),
        )
        copy_rows(
            cursor,
            "organizations_roleassignment",
            ["officer_id", "role", "unit_id", "start_date", "end_date"],
            assignments,
        )
        copy_rows(
            cursor,
            "training_trainingrecord",
            [
                "id",
                "officer_id",
                "kind",
                "title",
                "completed_on",
                "year",
                "hours",
                "counts_toward_requirement",
                "source",
                "recorded_at",
                "voided_at",
                "grants_certificate",
                "void_reason",
            ],
            ([*r, False, ""] for r in records),
        )
        for table in (
            "organizations_unit",
            "organizations_officer",
            "organizations_roleassignment",
            "training_trainingrecord",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(f"ANALYZE {table}")
    return {
        "upper": n_upper,
        "grassroots": len(grassroots),
        "officers": len(officers),
        "assignments": len(assignments),
        "records": len(records),
    }


TRAINED = """
    SELECT DISTINCT officer_id FROM training_trainingrecord
    WHERE year = %(year)s AND voided_at IS NULL AND counts_toward_requirement AND completed_on <= %(deadline)s
"""
OVERLAP = """
    ra.start_date <= %(end)s AND (ra.end_date IS NULL OR ra.end_date >= %(start)s)
    AND (u.dissolved_on IS NULL OR u.dissolved_on >= %(start)s) AND u.path LIKE %(prefix)s
"""
CORPS = """(ra.role = 'propaganda_officer' AND u.level IN ('city', 'upper'))
    OR ra.role IN ('reporter', 'propagandist', 'opinion_collaborator')"""
LARGE = """ra.role IN ('grassroots_chair', 'reporter', 'propagandist')
    AND u.level = 'grassroots' AND u.worker_count >= 1000"""


TRAINED_EXISTS = """EXISTS (
    SELECT 1 FROM training_trainingrecord r WHERE r.officer_id = ra.officer_id AND r.year = %(year)s
      AND r.voided_at IS NULL AND r.counts_toward_requirement AND r.completed_on <= %(deadline)s)"""


def floor_sql(length: int, narrow: bool) -> list[str]:
    """The same numbers as one audit page, one statement per target. ``narrow`` (one subtree):
    trained is checked per row through the (year, officer) index, which is faster there."""
    trained = TRAINED_EXISTS if narrow else f"ra.officer_id IN ({TRAINED})"
    training = [
        f"""
        SELECT substr(u.path, 1, {length}) AS bucket,
               COUNT(DISTINCT ra.officer_id),
               COUNT(DISTINCT ra.officer_id) FILTER (WHERE {trained})
        FROM organizations_roleassignment ra JOIN organizations_unit u ON u.id = ra.unit_id
        WHERE ({rule}) AND {OVERLAP}
        GROUP BY GROUPING SETS ((1), ())
        """
        for rule in (CORPS, LARGE)
    ]
    staffing = f"""
        SELECT substr(u.path, 1, {length}) AS bucket, COUNT(*),
               COUNT(*) FILTER (WHERE u.id IN (
                   SELECT ra.unit_id FROM organizations_roleassignment ra
                   WHERE ra.role = 'propagandist' AND ra.start_date <= %(end)s
                     AND (ra.end_date IS NULL OR ra.end_date >= %(start)s)))
        FROM organizations_unit u
        WHERE (u.level = 'upper' OR (u.level = 'grassroots' AND u.worker_count >= 1000))
          AND (u.dissolved_on IS NULL OR u.dissolved_on >= %(start)s) AND u.path LIKE %(prefix)s
        GROUP BY GROUPING SETS ((1), ())
    """
    return [staffing, *training]


def run_floor(prefix: str, depth: int, year: int) -> list:
    from django.db import connection

    params = {
        "year": year,
        "deadline": date(year, 12, 31),
        "start": date(year, 1, 1),
        "end": date(year, 12, 31),
        "prefix": prefix + "%",
    }
    results = []
    with connection.cursor() as cursor:
        for sql in floor_sql((depth + 1) * 4, narrow=depth >= 2):
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def medians_ms(fn, floor, runs: int) -> tuple[float, float]:
    """Medians of ``fn`` and ``floor``, run alternately so load on the machine hits both alike."""
    fn(), floor()  # warm up
    times, floors = [], []
    for _ in range(runs):
        for target, bucket in ((fn, times), (floor, floors)):
            start = time.perf_counter()
            target()
            bucket.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.median(floors)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the Hanoi-scale sizes (default 1)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_audit needs PostgreSQL: set DATABASE_URL to a throwaway database (see the docstring).")
        return 2

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organizations.tests.factories import UserFactory
    from training.audit.services import ensure_program09

    year = date.today().year
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = seed(args.scale, year)
    for y in range(year - 4, year + 1):
        ensure_program09(y)
    print(f"Seeded {counts} in {time.perf_counter() - started:.1f} s (PostgreSQL, scale {args.scale})")

    from django.conf import settings

    settings.LMS_REQUIRE_STAFF_MFA = False  # the bench measures the audit, not the two-factor sign-in
    user = UserFactory(email="bench-auditor@example.vn", is_superuser=True)
    client = Client()
    client.force_login(user)
    upper_code, upper_path = "U000", "0001" + "0001"

    def page(path, params):
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code
        return response

    city = {"year": year}
    drill = {"year": year, "unit": upper_code}
    with CaptureQueriesContext(connection) as q_city:
        page("/audit/", city)
    with CaptureQueriesContext(connection) as q_drill:
        page("/audit/", drill)

    # The page's numbers (the same selector calls) equal the floor's, total and per upper union.
    from organizations.models import Unit
    from training.audit.selectors import AuditSource, headline, node_of, unit_rows

    source = AuditSource.for_year(year)
    city_node = node_of(Unit.objects.get(code="LDLD-HN"))
    figures = headline(source, user, city_node)
    by_row = {r.node.path: r for r in unit_rows(source, user, city_node)}
    for target, result in zip(
        ("staffing", "corps", "large_grassroots"), run_floor("0001", 1, year), strict=True
    ):
        for bucket, required, done in result:
            got = figures[target] if bucket is None else by_row[bucket].figures[target]
            assert (got.required, got.done) == (required, done), (target, bucket, got, required, done)
    print("The audit's figures equal the SQL floor's (totals and every upper-level union).")

    rows = [
        (
            "city-wide audit page (3 targets)",
            lambda: page("/audit/", city),
            lambda: run_floor("0001", 1, year),
            len(q_city),
        ),
        (
            "upper-level union drill-down page",
            lambda: page("/audit/", drill),
            lambda: run_floor(upper_path, 2, year),
            len(q_drill),
        ),
        (
            "city-wide export (.xlsx)",
            lambda: page("/audit/export/dashboard.xlsx", city),
            lambda: run_floor("0001", 1, year),
            None,
        ),
    ]
    print(f"{'scenario':<36} {'median':>10} {'SQL floor':>10} {'ratio':>7} {'queries':>8}")
    for name, fn, floor, queries in rows:
        ms, floor_ms = medians_ms(fn, floor, args.runs)
        print(f"{name:<36} {ms:>8.0f}ms {floor_ms:>8.0f}ms {ms / floor_ms:>6.2f}x {queries or '':>8}")

    # The large exports go to a Celery task; time the task's work once each, in-process.
    from training.models import AuditExport
    from training.tasks import build_audit_export, export_folder

    print(
        f"{'large export, built as the worker does':<44} {'seconds':>8} {'rows':>8} {'rows/s':>8} {'MiB':>6}"
    )
    for view, fmt in (("officers", "xlsx"), ("officers", "csv")):
        job = AuditExport.objects.create(
            requested_by=user, params={"year": year, "status": "untrained", "view": view, "fmt": fmt}
        )
        started = time.perf_counter()
        name = build_audit_export(job.pk)
        seconds = time.perf_counter() - started
        path = export_folder() / name
        if fmt == "csv":
            rows_out = path.read_bytes().count(b"\n") - 1
        else:
            from openpyxl import load_workbook

            # Count rows by reading them: the streaming writer leaves out the <dimension> element,
            # so read-only openpyxl reports max_row as None.
            book = load_workbook(path, read_only=True)
            rows_out = sum(sum(1 for _ in sheet.iter_rows()) - 1 for sheet in book.worksheets)
        label = f"city-wide not yet trained (.{fmt})"
        print(
            f"{label:<44} {seconds:>8.1f} {rows_out:>8,} {rows_out / seconds:>8,.0f} "
            f"{path.stat().st_size / 2**20:>6.1f}"
        )
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
