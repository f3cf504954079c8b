"""Our Vietnamese catalogues agree with each other.

Django merges every app's catalogue into one: for a message two apps translate differently, the
first catalogue in LOCALE_PATHS / INSTALLED_APPS order wins everywhere, so the other app silently
shows a wording meant for somewhere else (the quiz's "Làm lại" on the ZIP page's retry button, a
requirement's deadline called "hạn nộp"). The same English text must be translated once, or be
told apart with a context (``{% translate "Next" context "next lesson" %}``, ``pgettext_lazy``).
"""

import gettext
from collections import defaultdict
from pathlib import Path

from django.conf import settings

APPS = [
    "lms",
    "core",
    "organizations",
    "accounts",
    "courses",
    "training",
    "certificates",
    "surveys",
    "notifications",
    "demo",
    "api",
]


def _catalogues() -> list[Path]:
    paths = [Path(p) / "vi" / "LC_MESSAGES" / "django.mo" for p in settings.LOCALE_PATHS]
    paths += [settings.BASE_DIR / app / "locale" / "vi" / "LC_MESSAGES" / "django.mo" for app in APPS]
    return [p for p in paths if p.exists()]


def test_the_catalogues_are_compiled():
    # `make test` compiles them first; without them this file would check nothing.
    found = {p.relative_to(settings.BASE_DIR).parts[0] for p in _catalogues()}
    assert {
        "locale",
        "organizations",
        "accounts",
        "courses",
        "training",
        "certificates",
        "surveys",
        "demo",
        "api",
    } <= found


def test_no_message_is_translated_two_ways():
    translations = defaultdict(dict)
    for path in _catalogues():
        with path.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog
        for msgid, msgstr in catalogue.items():
            if msgid:  # the header
                translations[msgid][str(path.relative_to(settings.BASE_DIR))] = msgstr
    disagreements = {
        msgid: where for msgid, where in translations.items() if len(set(map(str, where.values()))) > 1
    }
    assert disagreements == {}
