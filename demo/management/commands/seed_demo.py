from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# One builder per app with demo content (``demo.<app>.seed``); order matters.
DEMO_SEEDERS = [
    "demo.organizations.seed",
    # Before any training record is made: each certificate keeps the template it is issued with.
    "demo.certificates.seed_template",
    "demo.courses.seed",
    "demo.training.seed",
    "demo.certificates.seed",
    "demo.surveys.seed",
]


class Command(BaseCommand):
    help = "Build the demo data (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        from demo.organizations import DEMO_PASSWORD, DEMO_TOTP_SECRET

        logins = []
        for dotted in DEMO_SEEDERS:
            app = dotted.split(".")[1]
            if not apps.is_installed(app):
                continue
            result = import_string(dotted)()
            if app == "organizations":
                logins = result
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for persona, login in logins:  # an e-mail address, or the phone-only learner's number
            self.stdout.write(f"  {persona:<13} {login}")
        self.stdout.write(
            "  Manager, auditor and editor sign in with two-factor authentication:\n"
            f"  TOTP secret {DEMO_TOTP_SECRET} (add it to an authenticator app, "
            "or run: python manage.py demo_totp)"
        )
