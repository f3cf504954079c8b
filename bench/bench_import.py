"""Roster import at Hanoi scale: 100,000 officer rows from one .xlsx.

    pg_virtualenv bash -c 'DATABASE_URL="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \
        .venv/bin/python bench/bench_import.py'

Without DATABASE_URL it uses a throwaway SQLite file. It migrates the database, generates a
workbook (60 upper-level unions, 6,000 grassroots unions, N officer rows with one role each),
then times, for the same file:
  floor     reading every row with openpyxl (read-only, values only) and nothing else
  dry run   reading + validating against the database (the preview)
  import    reading + validating + writing everything in one transaction (first import)
  re-import the same file again (everything matched, nothing changed)
Target: the first import of 100,000 officer rows in under 60 s on PostgreSQL.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django(db_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_dir}/bench_import.sqlite3")
    os.environ.setdefault("LMS_VAR_DIR", db_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Thị Minh", "Đức", "Thu", "Ngọc", "Quang", ""]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Nam", "Phương", "Quỳnh", "Sơn", "Trang"]
ROLES = ["Tuyên truyền viên", "Báo cáo viên", "Cộng tác viên dư luận xã hội", "Chủ tịch CĐCS"]


def generate(path: str, officers: int, uppers: int = 60, grassroots: int = 6000) -> None:
    from openpyxl import Workbook

    from organizations.tests.conftest import OFFICER_HEADER, UNIT_HEADER

    rnd = random.Random(2026)
    workbook = Workbook(write_only=True)
    units = workbook.create_sheet("Đơn vị")
    units.append(UNIT_HEADER)
    units.append(["BENCH-HN", "", "Liên đoàn Lao động Thành phố (bench)", "Thành phố", "", 0])
    for u in range(uppers):
        units.append([f"BU-{u:03d}", "BENCH-HN", f"LĐLĐ quận số {u}", "Cấp trên trực tiếp", "Quận, huyện", 0])
    for g in range(grassroots):
        units.append(
            [
                f"BG-{g:05d}",
                f"BU-{g % uppers:03d}",
                f"CĐCS Công ty số {g}",
                "Cơ sở",
                "",
                rnd.randint(20, 3000),
            ]
        )
    sheet = workbook.create_sheet("Cán bộ")
    sheet.append(OFFICER_HEADER)
    for i in range(officers):
        name = " ".join(p for p in (rnd.choice(FAMILY), rnd.choice(MIDDLE), rnd.choice(GIVEN)) if p)
        sheet.append(
            [
                f"BCB-{i:06d}",
                name,
                f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1960, 2000)}",
                rnd.choice(["Nam", "Nữ"]),
                f"09{i:08d}",
                f"canbo{i}@bench.vn",
                f"BG-{i % grassroots:05d}",
                rnd.choice(ROLES),
                f"01/{rnd.randint(1, 12):02d}/{rnd.randint(2015, 2025)}",
                None,
            ]
        )
    workbook.save(path)


def floor(path: str) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    count = 0
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return count


def clean() -> None:
    from organizations.models import Officer, RoleAssignment, Unit

    RoleAssignment.objects.filter(officer__code__startswith="BCB-").delete()
    Officer.objects.filter(code__startswith="BCB-").delete()
    Unit.objects.filter(code__startswith="BENCH-").delete()  # treebeard deletes the subtree


def timed(label, fn):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    return seconds, value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--officers", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.conf import settings
        from django.db import connection

        from organizations.importing import Scope, import_roster

        settings.ROSTER_IMPORT_MAX_BYTES = 200 * 1024 * 1024
        clean()
        path = os.path.join(tmp, "roster.xlsx")
        gen, _ = timed("generate", lambda: generate(path, args.officers))
        size = os.path.getsize(path) / 1048576
        print(
            f"database: {connection.vendor}; file: {args.officers:,} officer rows, "
            f"{size:.1f} MB (made in {gen:.1f} s)"
        )
        scope = Scope(everything=True)
        t_floor, rows = timed("floor", lambda: floor(path))
        t_dry, dry = timed("dry", lambda: import_roster(path, scope=scope, dry_run=True))
        assert dry.ok, dry.problems[:5]
        t_import, done = timed("import", lambda: import_roster(path, scope=scope))
        assert done.ok and done.summary["officers_created"] == args.officers, done.summary
        t_again, again = timed("again", lambda: import_roster(path, scope=scope))
        assert again.summary["officers_unchanged"] == args.officers, again.summary
        n = args.officers
        print(f"{'scenario':<12}{'seconds':>9}{'rows/s':>10}{'× floor':>9}")
        for label, seconds in (
            ("floor", t_floor),
            ("dry run", t_dry),
            ("import", t_import),
            ("re-import", t_again),
        ):
            print(f"{label:<12}{seconds:>9.1f}{n / seconds:>10,.0f}{seconds / t_floor:>9.2f}")
        verdict = "OK" if t_import < 60 else "TOO SLOW"
        print(f"first import of {n:,} officer rows: {t_import:.1f} s (target < 60 s) {verdict}")
        clean()


if __name__ == "__main__":
    main()
