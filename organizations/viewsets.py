"""Wagtail admin screens for the union tree and the roster, limited to the editor's scope.

Every view of these viewsets filters through ``organizations.scope``: a unit
manager lists, opens and edits only officers and units in their own subtree;
anything else is a 404, also when typed in by URL. Units and officers are never
deleted here (organizations.permissions): units are deactivated or dissolved.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from . import services
from .forms import UnitCreateForm
from .models import Officer, Unit
from .scope import scope_filter, visible_units


class ScopedMixin:
    """Limit a generic Wagtail view to the rows the request's user may see."""

    scope_path_field = "path"

    def scoped_queryset(self):
        return self.model._default_manager.filter(scope_filter(self.request.user, self.scope_path_field))

    def get_object(self, *args, **kwargs):
        # Some generic views take a queryset argument, others (history) none.
        obj = super().get_object(*args, **kwargs)
        if not self.scoped_queryset().filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ScopedFormMixin(ScopedMixin):
    """Unit choices in a form offer only units inside the user's scope."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        for name in ("unit",):
            if name in form.fields:
                form.fields[name].queryset = visible_units(self.request.user).order_by("path")
        return form


class ScopedIndexView(ScopedMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(scope_filter(self.request.user, self.scope_path_field))


def not_deletable(request, *args, **kwargs):
    """Units and officers are kept as history: deactivate or dissolve a unit instead."""
    raise Http404


def scoped_views(path_field: str) -> dict:
    """View classes of a ModelViewSet, each filtered through the scope on ``path_field``."""
    bases = {
        "index_view_class": ScopedIndexView,
        "add_view_class": type("Add", (ScopedFormMixin, generic.CreateView), {}),
        "edit_view_class": type("Edit", (ScopedFormMixin, generic.EditView), {}),
        "delete_view_class": type("Delete", (ScopedMixin, generic.DeleteView), {}),
        "inspect_view_class": type("Inspect", (ScopedMixin, generic.InspectView), {}),
        "history_view_class": type("History", (ScopedMixin, history.HistoryView), {}),
        "usage_view_class": type("Usage", (ScopedMixin, usage.UsageView), {}),
    }
    return {key: type(cls.__name__, (cls,), {"scope_path_field": path_field}) for key, cls in bases.items()}


class OfficerViewSet(ModelViewSet):
    model = Officer
    url_prefix = "roster/officers"
    url_namespace = "roster_officers"
    icon = "user"
    menu_label = _("Officers")
    add_to_admin_menu = False
    list_display = ["full_name", "code", "unit", "email", "phone"]
    list_filter = ["gender"]
    search_fields = ["family_name", "middle_name", "given_name", "code", "email", "phone"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("family_name"), FieldPanel("middle_name"), FieldPanel("given_name")]
                ),
                FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("gender")]),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("unit"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Roster"),
        ),
    ]
    locals().update(scoped_views("unit__path"))

    @property
    def delete_view(self):
        return not_deletable


class UnitCreateView(ScopedMixin, generic.CreateView):
    """A new unit, added below the chosen parent (the form offers only parents in scope)."""

    def save_instance(self):
        data = self.form.cleaned_data
        unit = services.create_unit(
            parent=data["parent"],
            code=data["code"],
            name=data["name"],
            level=data["level"],
            kind=data.get("kind") or "",
            worker_count=data.get("worker_count") or 0,
        )
        log(instance=unit, action="wagtail.create", user=self.request.user)
        return unit


UNIT_CREATE_PANEL = ObjectList(
    [
        FieldPanel("parent"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("level"), FieldPanel("kind")]),
        FieldPanel("worker_count"),
    ],
    base_form_class=UnitCreateForm,
)


class UnitViewSet(ModelViewSet):
    model = Unit
    url_prefix = "roster/units"
    url_namespace = "roster_units"
    icon = "group"
    menu_label = _("Units")
    add_to_admin_menu = False
    list_display = ["name", "code", "level", "worker_count", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["name", "level", "kind", "worker_count", "is_active", "dissolved_on"]
    locals().update(scoped_views("path"))
    add_view_class = UnitCreateView

    @property
    def delete_view(self):
        return not_deletable

    def get_add_view_kwargs(self, **kwargs):
        # Creating needs the parent (and the code), which the edit form does not offer.
        panel = UNIT_CREATE_PANEL.bind_to_model(Unit)
        return super().get_add_view_kwargs(**{"panel": panel, "form_class": panel.get_form_class(), **kwargs})


class OrganizationsViewSetGroup(ViewSetGroup):
    menu_label = _("Union tree")
    menu_icon = "site"
    menu_order = 200
    items = (UnitViewSet, OfficerViewSet)
