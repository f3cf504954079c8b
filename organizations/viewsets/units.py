"""The units' admin screens: the tree, creation under a unit in scope, editing."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from core.vietnamese.collation import vietnamese

from .. import selectors, services
from ..forms import UnitCreateForm, UnitEditForm
from ..models import Unit, UnitLevel
from ..scope import is_auditor, managed_unit_paths, scope_filter
from .scoped import ScopedIndexView, ScopedMixin, not_deletable, scoped_views


class UnitCreateView(ScopedMixin, generic.CreateView):
    """A new unit, added below the chosen parent (the form offers only parents in scope)."""

    def get_initial(self):
        # Browsing a unit's children, "Add unit" comes with ?parent= to preselect it.
        initial = super().get_initial()
        if (parent := self.request.GET.get("parent", "")).isdigit():
            initial["parent"] = int(parent)
        return initial

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


class LinkColumn(Column):
    """A cell whose text links to ``get_url(instance)``; plain text when that gives no URL."""

    cell_template_name = "organizations/admin/link_cell.html"

    def __init__(self, *args, get_url=None, get_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._get_url = get_url
        self._get_text = get_text

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if self._get_text is not None:
            context["value"] = self._get_text(instance)
        context["url"] = self._get_url(instance) if self._get_url else None
        return context


class UnitIndexView(ScopedIndexView):
    """The tree one level at a time, from the top of the viewer's scope down.

    Without ``?parent=`` it lists the top of the scope: the root (city federation) for an
    auditor, the managed unit(s) for a manager. ``?parent=<id>`` lists that unit's children,
    with its ancestors inside the scope as breadcrumbs; a parent outside the scope is a 404.
    A search or filter looks through the whole subtree below the parent (or the whole scope).
    The page costs the same fixed handful of queries however many units it lists.
    """

    template_name = "organizations/admin/index.html"
    default_ordering = "name"
    scope_path_field = "path"
    search_with = staticmethod(selectors.search_units)

    parent_unit: Unit | None = None

    def get(self, request, *args, **kwargs):
        self.parent_unit = self.find_parent()  # a bad or out-of-scope parent is a 404
        return super().get(request, *args, **kwargs)

    def find_parent(self) -> Unit | None:
        raw = self.request.GET.get("parent", "")
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        unit = self.scoped_queryset().filter(pk=int(raw)).first()
        if unit is None:
            raise Http404
        return unit

    @cached_property
    def parent_ancestors(self) -> list[Unit]:
        """The parent's ancestors the viewer may see, root first, in one query."""
        parent = self.parent_unit
        if parent is None or parent.depth == 1:
            return []
        paths = [parent.path[: Unit.steplen * depth] for depth in range(1, parent.depth)]
        return list(self.scoped_queryset().filter(path__in=paths).order_by("depth"))

    def browse_url(self, pk: int) -> str:
        """This listing, one level down: the children of unit ``pk``."""
        return f"{self.index_url}?{urlencode({'parent': pk})}"

    def get_base_queryset(self):
        units = super().get_base_queryset()
        parent = self.parent_unit
        if self.is_searching or self.is_filtering:
            if parent is not None:
                units = units.filter(path__startswith=parent.path, depth__gt=parent.depth)
        elif parent is not None:
            units = units.filter(path__startswith=parent.path, depth=parent.depth + 1)
        elif is_auditor(self.request.user):
            units = units.filter(depth=1)
        else:
            units = units.filter(path__in=managed_unit_paths(self.request.user))
        # The parent, read in the same query and only when the viewer may see it.
        parents = Unit.objects.filter(
            scope_filter(self.request.user),
            path=Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Unit.steplen),
        )
        return units.annotate(
            parent_name=Subquery(parents.values("name")[:1]),
            parent_pk=Subquery(parents.values("pk")[:1]),
        )

    @cached_property
    def columns(self):
        columns = super().columns
        parent_column = LinkColumn(
            "parent_name",
            label=_("Parent unit"),
            get_url=lambda unit: self.browse_url(unit.parent_pk) if unit.parent_pk else None,
        )
        sub_units = LinkColumn(
            "numchild",
            label=_("Sub-units"),
            sort_key="numchild",
            get_text=lambda unit: (
                ngettext("%(count)s sub-unit", "%(count)s sub-units", unit.numchild)
                % {"count": unit.numchild}
                if unit.numchild
                else "—"
            ),
            get_url=lambda unit: self.browse_url(unit.pk) if unit.numchild else None,
        )
        # A tick or a cross beside "Có"/"Không" (core overrides Wagtail's cell, which said True/False).
        is_active = self._get_custom_column("is_active", BooleanColumn)
        return [columns[0], columns[1], parent_column, *columns[2:4], sub_units, is_active]

    def order_queryset(self, queryset):
        if self.ordering in ("name", "-name"):
            name = vietnamese("name")
            return queryset.order_by(name.desc() if self.ordering == "-name" else name.asc(), "pk")
        return super().order_queryset(queryset)

    def get_page_subtitle(self):
        return self.parent_unit.name if self.parent_unit else super().get_page_subtitle()

    def get_breadcrumbs_items(self):
        parent = self.parent_unit
        if parent is None:
            return super().get_breadcrumbs_items()
        items = [*self.breadcrumbs_items, {"url": self.index_url, "label": self.get_page_title()}]
        items += [{"url": self.browse_url(unit.pk), "label": unit.name} for unit in self.parent_ancestors]
        return [*items, {"url": "", "label": parent.name}]

    def get_add_url(self):
        url = super().get_add_url()
        parent = self.parent_unit
        if url and parent is not None and parent.level != UnitLevel.GRASSROOTS:
            url = f"{url}?{urlencode({'parent': parent.pk})}"
        return url

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["kept_query"] = {"parent": self.parent_unit.pk} if self.parent_unit else {}
        return context


class UnitViewSet(ModelViewSet):
    model = Unit
    url_prefix = "roster/units"
    url_namespace = "roster_units"
    icon = "group"
    menu_label = _("Units")
    add_to_admin_menu = False
    list_display = ["name", "code", "level", "worker_count", "is_active"]  # + parent, sub-units
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code"]
    inspect_view_enabled = True
    # Not the tree's bookkeeping (path, depth, numchild).
    inspect_view_fields = ["code", "name", "level", "kind", "worker_count", "is_active", "dissolved_on"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("level"), FieldPanel("kind")]),
            FieldPanel("worker_count"),
            FieldRowPanel([FieldPanel("is_active"), FieldPanel("dissolved_on")]),
        ],
        base_form_class=UnitEditForm,
    )
    locals().update(scoped_views("path"))
    index_view_class = UnitIndexView
    add_view_class = UnitCreateView

    @property
    def delete_view(self):
        return not_deletable

    def get_add_view_kwargs(self, **kwargs):
        # Creating needs the parent (and the code), which the edit form does not offer.
        panel = UNIT_CREATE_PANEL.bind_to_model(Unit)
        return super().get_add_view_kwargs(**{"panel": panel, "form_class": panel.get_form_class(), **kwargs})
