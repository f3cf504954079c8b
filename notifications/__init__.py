"""One notifications layer: every message the system sends (invitation, reminder, manager summary,
certificate ready, …) is a ``Message`` row delivered by e-mail, SMS or Zalo ZNS.

Callers use ``notifications.send(kind, officer=..., ...)``; see ``services.send``.
"""


def send(kind, **kwargs):
    """``services.send``, importable before the app registry is ready."""
    from .services import send as _send

    return _send(kind, **kwargs)
