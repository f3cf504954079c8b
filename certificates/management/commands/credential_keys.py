"""``manage.py credential_keys create|rotate|list``: the keys that sign Open Badges credentials.

``create`` makes the first key (refused if a key is active, unless ``--if-missing``, which then
does nothing: for set-up scripts); ``rotate`` makes a new key and makes it the one that signs,
keeping the old ones so what they signed still verifies; ``list`` shows the keys, the active
one marked, and where they are published. See docs/operators.md.
"""

from django.core.management.base import BaseCommand, CommandError

from certificates import credential_keys


class Command(BaseCommand):
    help = "Create, rotate or list the keys that sign certificates' Open Badges credentials."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "list"])
        parser.add_argument(
            "--if-missing", action="store_true", help="create: do nothing if a key is already active."
        )

    def handle(self, *args, action, if_missing=False, **options):
        keys = credential_keys.list_keys()
        active = next((key for key in keys if key.active), None)
        if action == "list":
            self._list(keys)
            return
        if action == "create" and active is not None:
            if if_missing:
                self.stdout.write(f"An active key exists already: {active.kid}")
                return
            raise CommandError(
                f"A key is already active ({active.kid}); use `credential_keys rotate` to replace it."
            )
        if action == "rotate" and active is None:
            raise CommandError("No key to rotate: use `credential_keys create` first.")
        key = credential_keys.create_key()
        verb = "Created" if action == "create" else "Rotated to"
        self.stdout.write(self.style.SUCCESS(f"{verb} key {key.kid} ({key.path}, mode 600)."))
        if active is not None:
            self.stdout.write(f"Key {active.kid} no longer signs; it stays published for what it signed.")

    def _list(self, keys):
        if not keys:
            self.stdout.write(f"No keys in {credential_keys.keys_dir()}.")
            return
        for key in keys:
            mark = "active " if key.active else "retired"
            self.stdout.write(f"{mark}  {key.kid}  created {key.created:%Y-%m-%d %H:%M} UTC  {key.key_uri}")
