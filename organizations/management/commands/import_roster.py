"""import_roster FILE.xlsx [--dry-run] [--as EMAIL]: check and import a roster spreadsheet."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organizations.importing import FileRefused, Scope, import_roster
from organizations.importing.report import format_closed_role, format_problem, format_summary, format_update


class Command(BaseCommand):
    help = "Import units and officers from a roster spreadsheet (.xlsx or UTF-8 .csv)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; write nothing."
        )
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help=(
                "Also close (with today's date as end date) the open roles of officers who are not in "
                "the file, at the units its officer rows name. The unit-manager role is never closed "
                "this way."
            ),
        )
        parser.add_argument(
            "--as", dest="as_email", help="Import with the scope of this user (a unit manager or an auditor)."
        )

    def handle(self, *args, file, dry_run, as_email, close_missing=False, **options):
        scope = Scope(everything=True)
        if as_email:
            user = get_user_model().objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(_("No user with the e-mail address %(email)s.") % {"email": as_email})
            scope = Scope.for_user(user)
            if not scope.everything and not scope.paths:
                raise CommandError(
                    _("%(email)s is neither an auditor nor a unit manager.") % {"email": as_email}
                )
        try:
            result = import_roster(file, scope=scope, dry_run=dry_run, close_missing=close_missing)
        except FileNotFoundError:
            raise CommandError(_("File not found: %(file)s") % {"file": file}, returncode=1) from None
        except (IsADirectoryError, PermissionError):
            raise CommandError(
                _("Cannot read the file %(file)s (it is a folder, or you may not read it).") % {"file": file},
                returncode=1,
            ) from None
        except FileRefused as refused:
            raise CommandError(str(refused), returncode=1) from None
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(format_problem(problem))
            raise CommandError(
                _("%(count)s error(s); nothing was written.") % {"count": result.plan.problem_count},
                returncode=1,
            )
        self.stdout.write(format_summary(result.summary))
        for kind in ("units_updated", "officers_updated"):
            for item in result.summary["samples"].get(kind, []):
                self.stdout.write("  " + format_update(item))
        for item in result.summary["samples"].get("roles_closed_absent", []):
            self.stdout.write("  " + format_closed_role(item))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import finished.")))
