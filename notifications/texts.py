"""The short text of an SMS (and of the console's line for SMS and Zalo) per message kind.

An operator's own template (``SMS_TEMPLATE_<KIND>``, the wording registered with the gateway)
wins over the built-in one. Placeholders are ``{name}``-style, filled from the message's
parameters; a missing one is left empty. Brand-name gateways often accept only unaccented text:
``SMS_UNACCENTED=1`` (the default) strips the tones and marks (đ → d).
"""

import unicodedata
from collections import defaultdict

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import MessageKind


def builtin_templates() -> dict[str, str]:
    return {
        MessageKind.INVITATION: _("{site}: you are invited to open your account: {url}"),
        MessageKind.REMINDER: _(
            "{site}: {name}, your {year} training is not done yet; deadline {deadline}. {url}"
        ),
        MessageKind.MANAGER_SUMMARY: _("{site}: the {year} training summary of your units is ready: {url}"),
        MessageKind.CERTIFICATE_READY: _("{site}: your certificate {number} is ready: {url}"),
        MessageKind.CERTIFICATE_FAILED: _("{site}: certificate {number} could not be prepared: {url}"),
        MessageKind.RESET_CODE: _("{site}: your password reset code is {code}, valid for 24 hours."),
        # A class invitation's every change (training.classes.notices): what happened, when, the link.
        MessageKind.CLASS_NOTICE: _("{site}: {summary}, {when}. {url}"),
        MessageKind.ASSIGNMENT: _(
            "{site}: {name}, {count} required course(s) assigned to you, first deadline {deadline}. {url}"
        ),
    }


def unaccent(text: str) -> str:
    """Vietnamese without tones or letter marks, case kept: "Đào Thị Hương" → "Dao Thi Huong"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def short_text(message, *, unaccented: bool = False) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        template = settings.NOTIFY_SMS.get("templates", {}).get(message.kind) or builtin_templates().get(
            message.kind
        )
        values = defaultdict(str, {"site": settings.NOTIFY_SITE_NAME, **message.params})
        try:
            text = template.format_map(values) if template else message.subject
        except (IndexError, ValueError, AttributeError):  # an operator's template with "{}" or "{a.b}"
            text = message.subject
    text = " ".join(text.split())
    return unaccent(text) if unaccented else text
