"""Which channel reaches an officer: their preferred one first, then the configured order
(``NOTIFY_CHANNEL_ORDER``), keeping only channels that are set up and for which the officer
has an address. An officer with none left is unreachable (listed for their managers)."""

from django.conf import settings

from organizations.models import Officer

from . import channels
from .models import Channel


def channel_order() -> list[str]:
    order = [c for c in getattr(settings, "NOTIFY_CHANNEL_ORDER", []) if c in Channel.values]
    return order or [Channel.EMAIL]


def addresses_of(officer: Officer) -> dict[str, str]:
    """The officer's address on each channel, as the roster has it. A phone serves SMS and Zalo
    (a Zalo account is found by its phone number); e-mail is the roster's, else the account's."""
    found = {}
    email = (officer.email or (officer.user.email if officer.user_id and officer.user else "")).strip()
    if email:
        found[Channel.EMAIL] = email.lower()
    phone = (officer.phone or "").strip()
    if phone:
        found[Channel.SMS] = found[Channel.ZALO] = phone
    return found


def route(officer: Officer, kind: str | None = None, only: list[str] | None = None) -> list[tuple[str, str]]:
    """The (channel, address) pairs to try for ``officer``, best first; empty when unreachable."""
    order = channel_order()
    if officer.preferred_channel in order:
        order = [officer.preferred_channel] + [c for c in order if c != officer.preferred_channel]
    elif officer.preferred_channel in Channel.values:
        # Preferred but left out of the operator's order: still tried first, if set up.
        order = [officer.preferred_channel, *order]
    if only is not None:
        order = [c for c in order if c in only]
    found = addresses_of(officer)
    return [(c, found[c]) for c in order if c in found and channels.configured(c, kind)]


def is_reachable(officer: Officer, kind: str | None = None) -> bool:
    return bool(route(officer, kind))
