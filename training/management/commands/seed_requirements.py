"""python manage.py seed_requirements [--year Y]

Seeds the three Program 09/CTr-LĐLĐ requirements (targets and their rules) for a year, by
default the current one (Asia/Ho_Chi_Minh). Idempotent: a target already set for that year is
kept as the auditors edited it. Exit status 1 for a year outside 2000 … next year + 5.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from training.audit.services import closed_year_message, ensure_program09
from training.models import Requirement, YearClosedError


class Command(BaseCommand):
    help = "Seed the Program 09 requirements of a year (default: this year); targets already set are kept."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Year to seed (default: this year).")

    def handle(self, *args, year=None, **options):
        this_year = timezone.localdate().year
        year = this_year if year is None else year
        if not 2000 <= year <= this_year + 5:
            raise CommandError(_("Bad year: %(year)s.") % {"year": year})
        existing = set(Requirement.objects.filter(year=year).values_list("target", flat=True))
        try:
            requirements = ensure_program09(year)
        except YearClosedError:
            raise CommandError(closed_year_message(year)) from None
        for requirement in requirements:
            if requirement.target in existing:
                line = _("%(year)s — kept as set: %(target)s")
            else:
                line = _("%(year)s — added: %(target)s")
            self.stdout.write(line % {"year": year, "target": requirement.get_target_display()})
        added = len([r for r in requirements if r.target not in existing])
        self.stdout.write(
            self.style.SUCCESS(
                _("Program 09 for %(year)s: %(added)s target(s) added, %(kept)s kept.")
                % {"year": year, "added": added, "kept": len(requirements) - added}
            )
        )
