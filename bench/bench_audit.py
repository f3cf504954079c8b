"""Benchmark of the training audit at Hanoi scale and at 3× and 10× it, against the raw SQL floor.

Seeds ~60 upper-level unions, ~15,000 grassroots unions, ~100,000 officers with role
histories and ~500,000 training records over 5 years (``--scale`` multiplies these;
``--scales 1,3,10`` runs several in turn, re-seeding the same database) by PostgreSQL
``COPY`` (secondary indexes and foreign keys are dropped for the load and built after it),
then, per scale, times as medians of several runs:

- the city-wide audit page (/audit/, all three targets: headline + one row per upper union),
- one upper-level union's drill-down page,
- the city-wide .xlsx export of the same screen,

each against hand-written SQL computing the same numbers (one ``GROUPING SETS``
statement per target, ancestors read off the fixed-width path), after checking that the
page's figures equal the floor's. It prints the plans' shape (EXPLAIN: joins, aggregates,
subplans hashed, probed per row through an index, or re-run per row — the cliff) and builds
the large "not yet trained" exports in a child process, reporting that process's peak RSS.

Needs PostgreSQL and a THROWAWAY database (it replaces the roster):
    pg_virtualenv bash -c 'DATABASE_URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \
        .venv/bin/python bench/bench_audit.py --scales 1,3,10'
"""

import argparse
import json
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
# Program 09's requirements enqueue a recomputation of the assigned courses after commit: send it
# nowhere, the audit does not wait for it (bench_assign.py times it).
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"

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

    def records():
        # Generated while COPY streams them: 5 million rows need not sit in memory at once.
        for rid in range(1, target_records + 1):
            y = rng.choice(years)
            completed = date(y, 1, 1) + timedelta(days=rng.randint(0, 364))
            yield [
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
                False,
                "",
            ]

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute(
            "TRUNCATE training_trainingrecord, organizations_roleassignment, organizations_officer, "
            "organizations_unit RESTART IDENTITY CASCADE"
        )
        # Loaded without their secondary indexes and foreign keys, which are then built in one pass
        # each: maintaining them row by row makes COPY several times slower at scale 10.
        tables = ["organizations_unit", "organizations_officer", "organizations_roleassignment"]
        tables.append("training_trainingrecord")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # Columns the load leaves to a default for its duration: the roster's change stamps (the
        # API's ``changed_since``) are the load's moment, and nobody has a preferred channel.
        load_defaults = {
            "organizations_unit": {"updated_at": "now()"},
            "organizations_officer": {"updated_at": "now()", "preferred_channel": "''"},
            "organizations_roleassignment": {"updated_at": "now()"},
        }
        for table, defaults in load_defaults.items():
            for column, value in defaults.items():
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {value}")
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
            records(),
        )
        for table, defaults in load_defaults.items():
            for column in defaults:
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(f"VACUUM ANALYZE {table}")  # and the visibility map, for index-only scans
    return {
        "upper": n_upper,
        "grassroots": len(grassroots),
        "officers": len(officers),
        "assignments": len(assignments),
        "records": target_records,
    }


def seeded_scale(year: int):
    """The scale this database was last seeded at for ``year`` (None if never), from a marker table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_audit_seed (scale float8, year int, counts text)")
        cursor.execute("SELECT scale, counts FROM bench_audit_seed WHERE year = %s", [year])
        row = cursor.fetchone()
    return row


def seed_or_reuse(scale: float, year: int, reuse: bool) -> tuple[dict | str, float | None]:
    """Seed ``scale`` (or, with ``reuse``, keep what an earlier run seeded at the same scale)."""
    from django.db import connection

    from training.audit.services import ensure_program09

    marker = seeded_scale(year)
    if reuse and marker and marker[0] == scale:
        with connection.cursor() as cursor:  # a new index (migrate) needs the visibility map too
            cursor.execute("VACUUM ANALYZE training_trainingrecord")
        return marker[1], None
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_audit_seed")
    counts = seed(scale, year)
    for y in range(year - 4, year + 1):
        ensure_program09(y)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_audit_seed VALUES (%s, %s, %s)", [scale, year, str(counts)])
    return counts, seconds


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
    """The same numbers as one audit page, one statement per target, the fastest way found by
    hand. City-wide, the year's trained officers are joined once (a hash join: it spills to disk
    in batches when they outgrow work_mem, where an ``IN (…)`` in the select list becomes a
    per-row re-run). In one subtree (``narrow``) trained is checked per row through the
    (year, officer) index. Staffing checks each required unit through the assignments' unit index.
    """
    if narrow:
        trained, join = TRAINED_EXISTS, ""
    else:
        trained, join = "t.officer_id IS NOT NULL", f"LEFT JOIN ({TRAINED}) t ON t.officer_id = ra.officer_id"
    training = [
        f"""
        SELECT substr(u.path, 1, {length}) AS bucket,
               COUNT(DISTINCT ra.officer_id),
               COUNT(DISTINCT ra.officer_id) FILTER (WHERE {trained})
        FROM organizations_roleassignment ra JOIN organizations_unit u ON u.id = ra.unit_id {join}
        WHERE ({rule}) AND {OVERLAP}
        GROUP BY GROUPING SETS ((1), ())
        """
        for rule in (CORPS, LARGE)
    ]
    staffing = f"""
        SELECT substr(u.path, 1, {length}) AS bucket, COUNT(*),
               COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM organizations_roleassignment ra
                   WHERE ra.unit_id = u.id AND ra.role = 'propagandist' AND ra.start_date <= %(end)s
                     AND (ra.end_date IS NULL OR ra.end_date >= %(start)s)))
        FROM organizations_unit u
        WHERE (u.level = 'upper' OR (u.level = 'grassroots' AND u.worker_count >= 1000))
          AND (u.dissolved_on IS NULL OR u.dissolved_on >= %(start)s) AND u.path LIKE %(prefix)s
        GROUP BY GROUPING SETS ((1), ())
    """
    return [staffing, *training]


def floor_params(prefix: str, year: int) -> dict:
    return {
        "year": year,
        "deadline": date(year, 12, 31),
        "start": date(year, 1, 1),
        "end": date(year, 12, 31),
        "prefix": prefix + "%",
    }


def run_floor(prefix: str, depth: int, year: int) -> list:
    from django.db import connection

    results = []
    with connection.cursor() as cursor:
        for sql in floor_sql((depth + 1) * 4, narrow=depth >= 2):
            cursor.execute(sql, floor_params(prefix, year))
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


# --- Plans ------------------------------------------------------------------------------------


def plan_shape(sql: str, params=None) -> tuple[float, str]:
    """(estimated cost, a one-line summary) of a statement's plan: its joins, aggregates, scans and
    subplans. A subplan is "hashed" (built once), a "per-row probe" (run for every row, through an
    index: linear) or a "per-row re-run" (run for every row, scanning: the cliff)."""
    import re
    from collections import Counter

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    hashed = set(re.findall(r"hashed (SubPlan \d+)", json.dumps(plan)))
    root = plan[0]["Plan"]
    parts: Counter = Counter()

    def kinds(node):
        yield node["Node Type"]
        for child in node.get("Plans", []):
            yield from kinds(child)

    def walk(node):
        kind = node["Node Type"]
        if node.get("Parent Relationship") == "SubPlan":
            if node.get("Subplan Name") in hashed:
                parts["hashed subplan"] += 1
            elif set(kinds(node)) <= {"Index Scan", "Index Only Scan", "Limit", "Result"}:
                parts["per-row probe subplan"] += 1
            else:
                parts["PER-ROW RE-RUN subplan"] += 1
        if "Join" in kind or kind == "Nested Loop":
            parts[f"{kind} ({node.get('Join Type', '').lower()})"] += 1
        elif "Aggregate" in kind:
            parts[f"{node.get('Strategy', '').lower()} {kind}".strip()] += 1
        elif kind in ("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"):
            parts[f"{kind} {node.get('Relation Name', '').split('_', 1)[-1]}"] += 1
        for child in node.get("Plans", []):
            walk(child)

    walk(root)
    summary = ", ".join(f"{name}×{n}" if n > 1 else name for name, n in sorted(parts.items()))
    return root["Total Cost"], summary


def print_plans(label: str, statements, threshold: float = 1000.0) -> list[str]:
    """Print the shape of each statement costing at least ``threshold``; return those with a per-row
    re-run subplan (the cliff: an uncorrelated subquery that no longer fits work_mem)."""
    flagged = []
    for index, (sql, params) in enumerate(statements, start=1):
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        if params is None and "%s" in sql:
            # Logged with its placeholders: the account facts every signed-in request runs, a
            # prepared statement (core.compiled), not one of the audit's.
            continue
        cost, summary = plan_shape(sql, params)
        if cost < threshold:
            continue
        print(f"  {label} #{index}: cost {cost:,.0f}: {summary}")
        if "RE-RUN" in summary:
            flagged.append(f"{label} #{index}")
    return flagged


# --- Exports, built in a child process (its peak RSS is the export's) ------------------------


def peak_rss_kib() -> int:
    """This process's peak resident set (VmHWM, KiB). Not ``ru_maxrss``: Linux carries that across
    ``exec`` from the forking parent, so a child started by a large bench would report the bench."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def export_child(job_id: int) -> int:
    """Build one export job as the Celery task does, in this process; print JSON with the peak
    RSS before (Django loaded) and after the build."""
    import django

    django.setup()
    from training.tasks import build_audit_export, export_folder

    before = peak_rss_kib()
    started = time.perf_counter()
    name = build_audit_export(job_id)
    seconds = time.perf_counter() - started
    after = peak_rss_kib()
    print(
        json.dumps(
            {"seconds": seconds, "path": str(export_folder() / name), "rss_before": before, "rss_peak": after}
        )
    )
    return 0


def run_exports(user, year: int) -> list[dict]:
    import subprocess

    from training.models import AuditExport

    results = []
    for view, fmt in (("officers", "xlsx"), ("officers", "csv")):
        job = AuditExport.objects.create(
            requested_by=user, params={"year": year, "status": "untrained", "view": view, "fmt": fmt}
        )
        child = subprocess.run(
            [sys.executable, __file__, "--export-job", str(job.pk)],
            check=True,
            capture_output=True,
            text=True,
        )
        out = json.loads(child.stdout.strip().splitlines()[-1])
        path = Path(out["path"])
        if fmt == "csv":
            rows_out = path.read_bytes().count(b"\n") - 1
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            # A written-row by written-row file has no stored dimensions: count the rows.
            rows_out = sum(sum(1 for _ in sheet.iter_rows()) - 3 for sheet in workbook.worksheets)
            workbook.close()
        results.append(
            {"fmt": fmt, "rows": rows_out, "size": path.stat().st_size, **out, "load": os.getloadavg()[0]}
        )
        path.unlink()
    return results


# --- One scale --------------------------------------------------------------------------------


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def bench_scale(scale: float, args, year: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organizations.models import Unit
    from organizations.tests.factories import UserFactory
    from training.audit.selectors import AuditSource, headline, node_of, unit_table

    print(f"\n=== scale {scale:g} (load {load()}) ===")
    counts, seconds = seed_or_reuse(scale, year, args.reuse)
    if seconds is None:
        print(f"Reusing the database seeded at scale {scale:g}: {counts}")
    else:
        print(f"Seeded {counts} in {seconds:.1f} s (load {load()})")

    settings.LMS_REQUIRE_STAFF_MFA = False  # the bench measures the audit, not the two-factor sign-in
    email = "bench-auditor@example.vn"
    user = get_user_model().objects.filter(email=email).first() or UserFactory(email=email, is_superuser=True)
    client = Client()
    client.force_login(user)
    upper_code, upper_path = "U000", "0001" + "0001"

    def page(path, params):
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code
        return response

    city = {"year": year}
    drill = {"year": year, "unit": upper_code}
    page("/audit/", city)  # warm the session and caches before counting
    with CaptureQueriesContext(connection) as captured:
        page("/audit/", city)
    q_city = list(captured.captured_queries)  # the next request clears the log
    with CaptureQueriesContext(connection) as captured:
        page("/audit/", drill)
    q_drill = list(captured.captured_queries)

    # The page's numbers (the same selector calls) equal the floor's: totals and every row, city-wide
    # and in the drill-down.
    source = AuditSource.for_year(year)
    for code, prefix, depth in (("LDLD-HN", "0001", 1), (upper_code, upper_path, 2)):
        node = node_of(Unit.objects.get(code=code))
        figures = headline(source, user, node)
        totals, rows = unit_table(source, user, node)
        by_row = {r.node.path: r for r in rows if not r.is_self}
        for target, result in zip(
            ("staffing", "corps", "large_grassroots"), run_floor(prefix, depth, year), strict=True
        ):
            for bucket, required, done in result:
                if bucket is None:
                    got = [figures[target], totals[target]]
                elif bucket in by_row:
                    got = [by_row[bucket].figures[target]]
                else:  # roles held at the unit itself: its own row
                    got = [next(r for r in rows if r.is_self).figures[target]]
                for figure in got:
                    assert (figure.required, figure.done) == (required, done), (code, target, bucket, figure)
    print("The page's figures equal the SQL floor's (totals and every row, city-wide and drill-down).")

    rows = [
        ("city", "city-wide audit page (3 targets)", lambda: page("/audit/", city), "0001", 1, len(q_city)),
        (
            "drill",
            "upper-level union drill-down page",
            lambda: page("/audit/", drill),
            upper_path,
            2,
            len(q_drill),
        ),
        (
            "export",
            "city-wide export (.xlsx)",
            lambda: page("/audit/export/dashboard.xlsx", city),
            "0001",
            1,
            None,
        ),
    ]
    result = {"scale": scale, "counts": counts, "seed_seconds": seconds, "rows": {}}
    print(f"{'scenario':<36} {'median':>10} {'SQL floor':>10} {'ratio':>7} {'queries':>8} {'load':>6}")
    for key, name, fn, prefix, depth, queries in rows:
        ms, floor_ms = medians_ms(fn, lambda p=prefix, d=depth: run_floor(p, d, year), args.runs)
        result["rows"][key] = (ms, floor_ms, queries, os.getloadavg()[0])
        print(
            f"{name:<36} {ms:>8.0f}ms {floor_ms:>8.0f}ms {ms / floor_ms:>6.2f}x {queries or '':>8} "
            f"{os.getloadavg()[0]:>6.1f}"
        )

    print("Plans (EXPLAIN, statements costing ≥ 1,000; a per-row re-run subplan is the cliff):")
    flagged = []
    for label, captured in (("city page", q_city), ("drill-down page", q_drill)):
        flagged += print_plans(label, [(q["sql"], None) for q in captured])
    for label, prefix, depth in (("city floor", "0001", 1), ("drill-down floor", upper_path, 2)):
        statements = [(sql, floor_params(prefix, year)) for sql in floor_sql((depth + 1) * 4, depth >= 2)]
        flagged += print_plans(label, statements, threshold=0)
    print("Per-row re-run subplans: " + (", ".join(flagged) if flagged else "none"))
    result["flagged"] = flagged

    if scale <= args.exports_up_to:
        print(
            f"{'large export, built as the worker does':<40} {'seconds':>8} {'rows':>8} {'rows/s':>8} "
            f"{'MiB':>6} {'RSS before':>10} {'peak RSS':>9} {'load':>6}"
        )
        result["exports"] = run_exports(user, year)
        for e in result["exports"]:
            label = f"city-wide not yet trained (.{e['fmt']})"
            print(
                f"{label:<40} {e['seconds']:>8.1f} {e['rows']:>8,} {e['rows'] / e['seconds']:>8,.0f} "
                f"{e['size'] / 2**20:>6.1f} {e['rss_before'] / 1024:>8.0f}Mi {e['rss_peak'] / 1024:>7.0f}Mi "
                f"{e['load']:>6.1f}"
            )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, help="one scale: multiply the Hanoi-scale sizes")
    parser.add_argument("--scales", default="1", help="several scales in turn, e.g. 1,3,10 (default 1)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the roster if this database was seeded at the same scale"
    )
    parser.add_argument(
        "--exports-up-to",
        type=float,
        default=3,
        help="build the large exports at scales up to this (default 3)",
    )
    parser.add_argument("--export-job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench_audit needs PostgreSQL: set DATABASE_URL to a throwaway database (see the docstring).")
        return 2
    if args.export_job:
        return export_child(args.export_job)
    scales = [args.scale] if args.scale else [float(x) for x in args.scales.split(",")]

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"PostgreSQL {version}, work_mem {work_mem}; {os.cpu_count()} cores; load {load()}")
    year = date.today().year
    call_command("migrate", verbosity=0)
    results = [bench_scale(scale, args, year) for scale in scales]

    print("\nSummary (targets: city-wide ≤ 1.5× floor, < 1 s at scale 3, < 3 s at 10; drill-down < 300 ms)")
    for r in results:
        city_ms, city_floor, _q, city_load = r["rows"]["city"]
        drill_ms, drill_floor, _q, _l = r["rows"]["drill"]
        print(
            f"scale {r['scale']:g}: city {city_ms:.0f} ms / floor {city_floor:.0f} ms "
            f"= {city_ms / city_floor:.2f}×, "
            f"drill-down {drill_ms:.0f} ms, per-row re-runs: {len(r['flagged'])}, load {city_load:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
