"""Demo roster: Hanoi's union tree with realistic units, officers and role histories, the
demo logins, officers' e-mail addresses and invitations in every state.

Deterministic (a fixed random seed) and idempotent: units and officers are found
by their codes, so a second run creates nothing.
"""

import random

from django.db import transaction

from .invitations import build_invitations, give_officers_emails
from .logins import DEMO_PASSWORD, DEMO_TOTP_SECRET, build_demo_logins
from .tree import build_officers, build_tree

__all__ = ["DEMO_PASSWORD", "DEMO_TOTP_SECRET", "seed"]


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    rng = random.Random(2026)
    tree = build_tree(rng)
    give_officers_emails(build_officers(rng, tree))
    logins = build_demo_logins(tree)
    build_invitations()
    return logins
