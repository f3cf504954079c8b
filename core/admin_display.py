"""Yes/no values in the Wagtail admin as "Có"/"Không" beside an icon, everywhere.

Wagtail prints a boolean as Python's ``True``/``False``: in plain listing cells (any
``list_display`` entry that is a BooleanField), as the only text of its ``BooleanColumn`` (an
icon's title) and in inspect views. Rather than a column class each viewset must remember, core
overrides Wagtail's two cell templates (``core/templates/wagtailadmin/tables/``; core comes
before ``wagtail.admin`` in INSTALLED_APPS) and registers a display class for boolean fields in
inspect views. All three render ``core/admin/yes_no.html``: an icon and the word, so neither
colour nor shape is the only signal.
"""

from django.db import models
from django.template.loader import render_to_string
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import register_display_class


class YesNoDisplay(Component):
    """A boolean field's value in an inspect view: "Có"/"Không" (or "—" when unknown) with an icon."""

    def __init__(self, value):
        self.value = value

    def render_html(self, parent_context=None):
        return render_to_string("core/admin/yes_no.html", {"value": self.value})


def register_yes_no_display() -> None:
    register_display_class(models.BooleanField, display_class=YesNoDisplay)
