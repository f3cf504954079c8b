import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each app that has demo content contributes a ``demo.seed()``; order matters.
DEMO_SEEDERS = [
    "organizations.demo.seed",
    # Before any training record is made: each certificate keeps the template it is issued with.
    "certificates.demo.seed_template",
    "courses.demo.seed",
    "training.demo.seed",
    "certificates.demo.seed",
    "surveys.demo.seed",
]


class Command(BaseCommand):
    help = "Build the demo data (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        from organizations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

        logins = []
        for dotted in DEMO_SEEDERS:
            module = dotted.rsplit(".", 1)[0]
            if not apps.is_installed(dotted.split(".")[0]) or importlib.util.find_spec(module) is None:
                continue
            result = import_string(dotted)()
            if dotted.startswith("organizations."):
                logins = result
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for persona, email in logins:
            self.stdout.write(f"  {persona:<13} {email}")
        self.stdout.write(
            "  Manager, auditor and editor sign in with two-factor authentication:\n"
            f"  TOTP secret {DEMO_TOTP_SECRET} (add it to an authenticator app, "
            "or run: python manage.py demo_totp)"
        )
