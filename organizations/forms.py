"""Admin forms of the union tree."""

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .choosers import use_unit_chooser
from .importing.layout import LEVEL_RANK
from .models import RoleAssignment, Unit, UnitLevel, normalize_unit_code
from .scope import is_auditor


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
            use_unit_chooser(self.fields["parent"], self.for_user, parents_only=True)
        self.fields["worker_count"].required = False  # upper-level unions often leave it empty

    def clean_worker_count(self):
        return self.cleaned_data.get("worker_count") or 0

    def clean_code(self):
        return normalize_unit_code(self.cleaned_data.get("code"))

    def clean(self):
        cleaned = super().clean()
        parent, level, kind = cleaned.get("parent"), cleaned.get("level"), cleaned.get("kind")
        if parent and level and LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
            self.add_error("level", level_below_parent_error(parent))
        if kind and level != UnitLevel.UPPER:
            self.add_error("kind", _("Only direct upper-level unions have a kind."))
        return cleaned


def level_below_parent_error(parent: Unit) -> str:
    return _("A unit of this level cannot be placed under a unit of level “%(parent)s”.") % {
        "parent": parent.get_level_display()
    }


class UnitEditForm(WagtailAdminModelForm):
    """An existing unit: its level stays below its parent's and above its sub-units'.

    The audit reads the level (which unions must be staffed, who must train), so a unit cannot
    become a grassroots union while it has grassroots unions below it, nor rise to its parent's level.
    """

    class Meta:
        model = Unit
        fields = ["code", "name", "level", "kind", "worker_count", "is_active", "dissolved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Auditors correct a unit's code (one the rule refuses, e.g. left by an older version);
        # managers see it but do not change it: other units' files and links name it.
        if self.for_user is None or not is_auditor(self.for_user):
            self.fields["code"].disabled = True
        else:
            self.fields["code"].help_text = _(
                "Capital letters A–Z without accents, digits and dashes (-), at most 20 characters."
            )

    def clean_code(self):
        if self.fields["code"].disabled:
            return self.instance.code
        return normalize_unit_code(self.cleaned_data.get("code"))

    def _get_validation_exclusions(self):
        # A code the manager cannot change is not theirs to fix: an old, bad one must not block the form.
        exclusions = super()._get_validation_exclusions()
        if self.fields["code"].disabled:
            exclusions.add("code")
        return exclusions

    def clean(self):
        cleaned = super().clean()
        level, kind, unit = cleaned.get("level"), cleaned.get("kind"), self.instance
        if level:
            parent = unit.get_parent()
            if parent is None and level != UnitLevel.CITY:
                self.add_error("level", _("The top of the tree is the city federation."))
            elif parent is not None and LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
                self.add_error("level", level_below_parent_error(parent))
            child_levels = set(unit.get_children().values_list("level", flat=True))
            top_child_level = min(child_levels, key=LEVEL_RANK.get, default=None)
            if top_child_level and LEVEL_RANK[top_child_level] <= LEVEL_RANK[level]:
                self.add_error(
                    "level",
                    _("Units of level “%(child)s” are below this unit; it must stay above them.")
                    % {"child": UnitLevel(top_child_level).label},
                )
        if kind and level != UnitLevel.UPPER:
            self.add_error("kind", _("Only direct upper-level unions have a kind."))
        return cleaned


END_BEFORE_START = _("The end date cannot be before the start date (%(start)s).")


class RoleAssignmentCreateForm(WagtailAdminModelForm):
    """A new role for the officer the view fixed on the instance, at a unit in the editor's scope."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "unit", "start_date", "end_date"]
        help_texts = {"end_date": _("Leave empty while the officer still holds the role.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            use_unit_chooser(self.fields["unit"], self.for_user)

    def clean(self):
        cleaned = super().clean()
        role, unit = cleaned.get("role"), cleaned.get("unit")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", END_BEFORE_START % {"start": date_format(start, "SHORT_DATE_FORMAT")})
            return cleaned
        if role and unit and start:
            overlapping = (
                RoleAssignment.objects.filter(officer=self.instance.officer, role=role, unit=unit)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
                .order_by("start_date")
            )
            if end is not None:
                overlapping = overlapping.filter(start_date__lte=end)
            if clash := overlapping.first():
                values = {
                    "officer": self.instance.officer.full_name,
                    "start": date_format(clash.start_date, "SHORT_DATE_FORMAT"),
                }
                if clash.end_date:
                    values["end"] = date_format(clash.end_date, "SHORT_DATE_FORMAT")
                    message = _("%(officer)s already held this role at this unit from %(start)s to %(end)s.")
                else:
                    message = _("%(officer)s already holds this role at this unit since %(start)s.")
                self.add_error(None, message % values)
        return cleaned


class RoleAssignmentCloseForm(WagtailAdminModelForm):
    """Closing a role: only its end date is set; the assignment stays in the history."""

    class Meta:
        model = RoleAssignment
        fields = ["end_date"]
        help_texts = {
            "end_date": _("The last day the officer holds the role. The assignment stays in the history.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end and end < self.instance.start_date:
            raise forms.ValidationError(
                END_BEFORE_START % {"start": date_format(self.instance.start_date, "SHORT_DATE_FORMAT")}
            )
        return end
