"""The channels a message goes out by. Each adapter has ``send(message) -> Delivery`` and raises
``TemporaryError`` (try again later), ``PermanentError`` (this channel can never deliver it) or
``OutcomeUnknown`` subclasses of ``DeliveryError``."""

from django.conf import settings

from ..models import Channel
from .base import Delivery, DeliveryError, PermanentError, TemporaryError

__all__ = ["Delivery", "DeliveryError", "PermanentError", "TemporaryError", "adapter", "configured"]


def configured(channel: str, kind: str | None = None) -> bool:
    """Whether ``channel`` can carry a message of ``kind`` now (its provider set up, or the console)."""
    if channel == Channel.EMAIL:
        return True
    console = getattr(settings, "NOTIFY_CONSOLE", False)
    if channel == Channel.SMS:
        return console or bool(settings.NOTIFY_SMS.get("url"))
    if channel == Channel.ZALO:
        zalo = settings.NOTIFY_ZALO
        if console and not zalo.get("app_id"):
            return True
        has_template = kind is None or bool(zalo.get("templates", {}).get(kind))
        return bool(zalo.get("app_id") and zalo.get("secret_key")) and has_template
    return False


def adapter(channel: str):
    """The module that delivers on ``channel``: the provider's, or the console when none is set."""
    from . import console, email, sms, zns

    if channel == Channel.EMAIL:
        return email
    if channel == Channel.SMS:
        return sms if settings.NOTIFY_SMS.get("url") else console
    if channel == Channel.ZALO:
        return zns if settings.NOTIFY_ZALO.get("app_id") else console
    raise ValueError(channel)
