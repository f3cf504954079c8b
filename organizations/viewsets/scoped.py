"""The scoped base views every roster screen (and other apps' admin screens) builds on: list,
inspect and edit only what lies in the viewer's scope; anything else is a 404."""

from django.http import Http404
from django.template.defaultfilters import yesno
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage

from ..choosers import use_unit_chooser
from ..scope import scope_filter


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
    """Unit fields of a form are choosers that offer, and accept, only units inside the user's scope."""

    unit_fields = ("unit",)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        for name in self.unit_fields:
            if name in form.fields:
                use_unit_chooser(form.fields[name], self.request.user)
        return form


class ScopedIndexView(ScopedMixin, generic.IndexView):
    # The search box's filter, ``(queryset, query) -> queryset`` (organizations.selectors): word by
    # word and diacritic-insensitive, where Wagtail's default looks for the whole query in one field.
    search_with = None

    def get_base_queryset(self):
        return super().get_base_queryset().filter(scope_filter(self.request.user, self.scope_path_field))

    def search_queryset(self, queryset):
        if self.is_searching and self.search_with is not None:
            return self.search_with(queryset, self.search_query)
        return super().search_queryset(queryset)


class RosterInspectView(ScopedMixin, generic.InspectView):
    """Read-only details in words: "—" for an empty value, yes/no in the interface language."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return yesno(value)
        return "—" if value is None or value == "" else value


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
        "inspect_view_class": RosterInspectView,
        "history_view_class": type("History", (ScopedMixin, history.HistoryView), {}),
        "usage_view_class": type("Usage", (ScopedMixin, usage.UsageView), {}),
    }
    return {key: type(cls.__name__, (cls,), {"scope_path_field": path_field}) for key, cls in bases.items()}


def roles_url(officer_pk: int) -> str:
    """The role history of one officer (the roles at units the viewer may see)."""
    return f"{reverse('roster_roles:index')}?{urlencode({'officer': officer_pk})}"
