"""A searchable chooser for units in the Wagtail admin, limited to the viewer's scope.

At Hanoi scale the tree has ~15,000 units: a <select> of all of them makes every form with a
unit field megabytes long. The chooser opens a modal that lists one page of units at a time,
searched by name or code. Its listing and its "chosen" step only ever see
``visible_units(request.user)`` (anything else is a 404); the form field keeps its scoped
queryset, so a forged POST of a unit outside the scope is still refused by the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from .fields import SEARCH_MAX_LENGTH
from .models import Unit, UnitLevel
from .scope import visible_units
from .selectors import search_units, with_parent_name

PARENTS_ONLY = "parents"  # ?parents=1: only units a new unit can be placed under


def choosable_units(user, *, parents_only: bool = False):
    """The units ``user`` may choose: their scope, or only the active units above grassroots in it."""
    units = visible_units(user)
    if parents_only:
        units = units.filter(is_active=True).exclude(level=UnitLevel.GRASSROOTS)
    return units


def scoped_units(request):
    """The units a chooser request may list or return (``?parents=1`` narrows to possible parents)."""
    return choosable_units(request.user, parents_only=bool(request.GET.get(PARENTS_ONLY)))


def unit_label(unit: Unit) -> str:
    """How a unit is named in a chooser: its name and, to tell namesakes apart, its code."""
    return f"{unit.name} ({unit.code})"


class UnitFilterForm(BaseFilterForm):
    """Search by name or code (every word must match one of them), case-insensitive.

    Unit is not in Wagtail's search index, so this filters in the database.
    """

    q = forms.CharField(
        label=_("Search term"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Name or code of the unit")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = search_units(objects, query)
            self.is_searching = True
            self.search_query = query
        return objects


class ScopedUnitListingMixin:
    """The units of the viewer's scope in tree order, each with its parent's name (when in scope)."""

    ordering = "path"
    per_page = 20
    filter_form_class = UnitFilterForm

    def get_object_list(self):
        return with_parent_name(scoped_units(self.request), self.request.user)

    @property
    def columns(self):
        return [
            self.title_column,
            Column("code", label=_("Code")),
            Column("level", label=_("Level"), accessor="get_level_display"),
            Column("parent_name", label=_("Parent unit")),
        ]

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Name")
        column.accessor = "name"
        return column


class UnitChooseView(ScopedUnitListingMixin, chooser_views.ChooseView):
    pass


class UnitChooseResultsView(ScopedUnitListingMixin, chooser_views.ChooseResultsView):
    pass


MAX_ID = 2**63 - 1  # the largest primary key a database column holds; larger ids name no unit


def unit_id(raw) -> int | None:
    """``raw`` as a unit id, or None when it cannot be one (not digits, or beyond any column)."""
    raw = str(raw)
    return int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None


class UnitChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        # Unit.DoesNotExist (outside the scope, or no such unit) becomes a 404 in ChosenView.get.
        if (pk := unit_id(pk)) is None:
            raise Unit.DoesNotExist
        return scoped_units(self.request).get(pk=pk)

    def get_display_title(self, instance):
        return unit_label(instance)


class UnitChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return scoped_units(self.request).filter(pk__in=[pk for pk in map(unit_id, pks) if pk is not None])

    def get_display_title(self, instance):
        return unit_label(instance)


class BaseUnitChooser(BaseChooser):
    """The chooser widget; it shows the chosen unit only when the field's queryset holds it.

    A ModelChoiceField hands its (scoped) queryset to its widget as ``choices``: re-showing a
    form after a forged out-of-scope pk then shows no unit instead of naming it.
    """

    show_edit_link = False
    parents_only = False

    def __init__(self, *, parents_only: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.parents_only = parents_only

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return f"{url}?{PARENTS_ONLY}=1" if self.parents_only else url

    def get_instance(self, value):
        if value is None or isinstance(value, Unit):
            return value
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        if queryset is None:
            queryset = Unit.objects.all()
        if (pk := unit_id(value)) is None:
            return None
        return queryset.filter(pk=pk).first()

    def get_display_title(self, instance):
        return unit_label(instance)


class UnitChooserViewSet(ChooserViewSet):
    model = Unit
    icon = "group"
    choose_one_text = _("Choose a unit")
    choose_another_text = _("Choose another unit")
    page_title = _("Choose a unit")
    url_prefix = "roster/unit-chooser"
    name = "unit_chooser"
    base_widget_class = BaseUnitChooser
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    chosen_view_class = UnitChosenView
    chosen_multiple_view_class = UnitChosenMultipleView
    # Forms opt in through use_unit_chooser(), where the scoped queryset is set as well.
    register_widget = False
    preserve_url_parameters = ["multiple", PARENTS_ONLY]

    def get_urlpatterns(self):
        # No "create" step: units are added on their own screen, below a parent.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "create"]


unit_chooser_viewset = UnitChooserViewSet()
UnitChooserWidget = unit_chooser_viewset.widget_class


def use_unit_chooser(field: forms.ModelChoiceField, user, *, parents_only: bool = False) -> None:
    """Offer ``field``'s units through the chooser, limited to what ``user`` may see.

    The queryset stays the validator: a unit outside the scope is "not one of the choices".
    ``parents_only`` limits both the listing and the queryset to active units above grassroots.
    """
    field.widget = UnitChooserWidget(parents_only=parents_only)
    # Setting the queryset also hands it to the widget (see BaseUnitChooser).
    field.queryset = choosable_units(user, parents_only=parents_only).order_by("path")
