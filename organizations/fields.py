"""Unit fields for the site's own (non-admin) forms, usable however large the viewer's scope.

A unit manager's subtree is a few dozen units: a plain <select> suits them. An auditor sees
~15,000: there the field becomes a text input for the unit's code, with suggestions fetched
as they type (organizations.views.unit_search, scoped); without JavaScript the code alone
works. Either way the scoped queryset validates, so a unit outside the scope is refused.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import visible_units
from .search import SEARCH_MAX_LENGTH

UNIT_SELECT_LIMIT = 200  # above this many units in scope, type a code instead of scrolling a list
UNIT_SEARCH_LIMIT = 20  # suggestions offered at a time


class UnitCodeInput(forms.TextInput):
    """A text input for a unit code with an (initially empty) <datalist> of suggestions."""

    template_name = "organizations/widgets/unit_code_input.html"

    class Media:
        js = ["organizations/unit_code_input.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        widget_attrs["data-unit-search"] = reverse("organizations:unit_search")
        widget_attrs.setdefault("autocomplete", "off")
        widget_attrs.setdefault("spellcheck", "false")
        return context


class UnitCodeField(forms.ModelChoiceField):
    """A unit of ``queryset`` given by its code (exact, else ignoring case)."""

    widget = UnitCodeInput
    default_error_messages = {
        "invalid_choice": _(
            "There is no unit with the code “%(value)s” in your scope. "
            "Check the code; typing part of a unit's name suggests matching units."
        ),
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="code", **kwargs)

    def prepare_value(self, value):
        # Initial data holds the unit's pk; the input shows its code.
        if isinstance(value, int):
            return self.queryset.filter(pk=value).values_list("code", flat=True).first() or ""
        return super().prepare_value(value)

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        if "\x00" in value or len(value) > SEARCH_MAX_LENGTH:  # no unit has such a code
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value[:40]}
            )
        unit = self.queryset.filter(code=value).first() or self.queryset.filter(code__iexact=value).first()
        if unit is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return unit


def unit_field_for(user, field: forms.ModelChoiceField) -> forms.ModelChoiceField:
    """``field`` limited to ``user``'s scope: a select for a small scope, a code input for a large one."""
    units = visible_units(user).order_by("path")
    if units[: UNIT_SELECT_LIMIT + 1].count() <= UNIT_SELECT_LIMIT:
        field.queryset = units
        return field
    help_text = _("Type the unit's code, or part of its name to see matching units.")
    return UnitCodeField(
        units,
        label=field.label,
        required=field.required,
        help_text=f"{field.help_text} {help_text}".strip() if field.help_text else help_text,
    )
