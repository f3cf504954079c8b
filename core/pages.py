"""What every Wagtail page type of the project shares: ASCII slugs from Vietnamese titles.

A page type mixes in ``AsciiSlugPage`` (before ``Page``) and its admin form derives from
``AsciiSlugPageForm`` (the mixin sets it as ``base_form_class``; a page type with its own form
class mixes ``AsciiSlugFormMixin`` into it). Then:

- in the editor, the slug field follows the title as the editor types, in ASCII (the
  ``SlugInput`` formatters, ``register_slug_widget``), and a slug typed or pasted with
  diacritics is transliterated when the form is saved, before Wagtail checks it is free;
- a page made in code (demo data, imports) with no slug gets one from its title, in ASCII, and
  a new page given a slug with diacritics gets it transliterated.

Existing pages keep their slugs: a slug the form did not change is left as it is, so no
published address moves.

Two things about a slug already in use under the same parent, which Wagtail reports only on
the field, in the "Quảng bá" (Promote) tab, while the editor is typing on "Nội dung":

- the error is repeated in the message at the top of the editor, whatever tab is open, saying
  where to change it;
- a new page whose slug came from its title does not clash with the editor's own draft that was
  never published (Wagtail's autosave makes one as soon as a new page's form is touched, so an
  abandoned form leaves one behind): it takes the next free slug ("chup-anh-2") instead.
"""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput

from .vietnamese.slugs import SLUG_FORMATTERS, ascii_slug

SLUG_ERROR_HINT = _("Correct “%(field)s” in the “%(tab)s” tab.")


class AsciiSlugFormMixin:
    """Page form behaviour for slugs: ASCII, no clash with one's own draft, errors seen on any tab."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and not slug.isascii() and slug != self.instance.slug:
            slug = ascii_slug(slug)
            if not slug:
                raise forms.ValidationError(self.fields["slug"].error_messages["invalid"], code="invalid")
        if slug and self.instance.pk is None and slug == ascii_slug(self.cleaned_data.get("title", "")):
            slug = self._past_own_drafts(slug)
        return slug

    def _past_own_drafts(self, slug: str) -> str:
        """``slug``, or the next free "slug-N" when only the editor's never-published drafts hold it."""
        parent, user = getattr(self, "parent_page", None), getattr(self, "for_user", None)
        if parent is None or user is None or not user.is_authenticated:
            return slug
        holders = parent.get_children().filter(slug=slug)
        own_draft = Q(owner=user, live=False, first_published_at__isnull=True)
        if not holders.exists() or holders.exclude(own_draft).exists():
            return slug  # free, or a real clash that the editor must settle
        taken = set(parent.get_children().filter(slug__startswith=f"{slug}-").values_list("slug", flat=True))
        number = 2
        while f"{slug}-{number}" in taken:
            number += 1
        return f"{slug}-{number}"

    def get_field_updates_for_resave(self):
        # After an autosave, put the slug actually saved ("chup-anh-2", or the ASCII form of a
        # typed one) into the still-open form, or its next save would send the old one back.
        updates = list(super().get_field_updates_for_resave())
        if "slug" in self.fields and self.data.get(self.add_prefix("slug")) != self.instance.slug:
            updates.append((self.add_prefix("slug"), self.instance.slug))
        return updates

    def clean(self):
        cleaned_data = super().clean()
        if "slug" in self.errors and "slug" in self.fields:
            # The field sits in the Promote tab; say so in the message at the top of the editor.
            self.add_error(
                None,
                SLUG_ERROR_HINT % {"tab": _("Promote"), "field": self.fields["slug"].label},
            )
        return cleaned_data


class AsciiSlugPageForm(AsciiSlugFormMixin, WagtailAdminPageForm):
    pass


class AsciiSlugPage:
    """Mixed into every page type before ``Page``: slugs made in code are ASCII too."""

    base_form_class = AsciiSlugPageForm

    def full_clean(self, *args, **kwargs):
        if self.pk is None:
            if self.slug and not self.slug.isascii():
                self.slug = ascii_slug(self.slug)
            elif not self.slug and self.title and (self.path or getattr(self, "_cached_parent_obj", None)):
                # What Wagtail's _set_core_field_defaults does, with our slug: its slugify
                # drops "đ" ("điện" → "ien") when WAGTAIL_ALLOW_UNICODE_SLUGS is False.
                if base := ascii_slug(self.title):
                    self.slug = self._get_autogenerated_slug(base)
        super().full_clean(*args, **kwargs)


def register_slug_widget() -> None:
    """Every admin slug field (pages and snippets) transliterates Vietnamese as the editor types."""
    register_form_field_override(models.SlugField, override={"widget": SlugInput(formatters=SLUG_FORMATTERS)})
