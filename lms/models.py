from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.pages import AsciiSlugPage


class HomePage(AsciiSlugPage, Page):
    """The site's front page: what the system is and where to start."""

    lead = models.CharField(_("lead"), max_length=255, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
