"""python manage.py audit_report --year Y [--unit CODE] --output FILE.xlsx

Writes the same workbook as the audit's "export everything" (one sheet per view) for the
whole tree or one unit's subtree. Exit status 1 for an unknown unit, a bad year or an
output file that cannot be written; a year without requirements gives a warning.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from training.audit import exports
from training.audit.requests import AuditRequest
from training.audit.source import TARGETS, AuditSource, resolve_node


class Command(BaseCommand):
    help = "Write the yearly training audit to an .xlsx workbook (the same file as the screen's export)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", default="", help="Code of the unit whose subtree to report.")
        parser.add_argument(
            "--output", default="", help="File to write (default: kiem-tra-boi-duong-YEAR.xlsx)."
        )

    def handle(self, *args, year, unit, output, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"Bad year: {year}")
        with translation.override("vi"):
            source = AuditSource.for_year(year)
            user = None  # the whole tree, like the department
            try:
                node = resolve_node(source, user, unit or None)
            except LookupError:
                raise CommandError(f"No unit with code {unit!r} existed in {year}.") from None
            params = {
                "year": year,
                "unit": unit,
                "sort": "",
                "role": "",
                "target": "",
                "status": "untrained",
                "q": "",
                "here": "",
            }
            audit = AuditRequest(user=user, source=source, node=node, params=params)
            if not any(source.has_target(target) for target in TARGETS):
                self.stderr.write(f"No requirements are set for {year}: the workbook holds no figures.")
            content = exports.render(audit, "all", "xlsx")
            path = Path(output or exports.file_name(audit, "all", "xlsx"))
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"{path} ({len(content)} bytes)")
