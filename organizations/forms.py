"""Admin forms of the union tree."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .importing.layout import LEVEL_RANK
from .models import Unit, UnitLevel
from .scope import visible_units


class UnitCreateForm(WagtailAdminModelForm):
    """A new unit under a parent the editor may see (their own subtree; auditors: any unit)."""

    parent = forms.ModelChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        help_text=_("The new unit is added below this unit."),
    )

    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "level", "kind", "worker_count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["parent"].queryset = (
                visible_units(self.for_user)
                .filter(is_active=True)
                .exclude(level=UnitLevel.GRASSROOTS)
                .order_by("path")
            )
            self.fields["parent"].label_from_instance = lambda unit: f"{unit.name} ({unit.code})"
        self.fields["worker_count"].required = False  # upper-level unions often leave it empty

    def clean_worker_count(self):
        return self.cleaned_data.get("worker_count") or 0

    def clean(self):
        cleaned = super().clean()
        parent, level, kind = cleaned.get("parent"), cleaned.get("level"), cleaned.get("kind")
        if parent and level and LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
            self.add_error(
                "level",
                _("A unit of this level cannot be placed under a unit of level “%(parent)s”.")
                % {"parent": parent.get_level_display()},
            )
        if kind and level != UnitLevel.UPPER:
            self.add_error("kind", _("Only direct upper-level unions have a kind."))
        return cleaned
