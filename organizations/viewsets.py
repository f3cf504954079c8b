"""Wagtail admin screens for the union tree and the roster, limited to the editor's scope.

Every view of these viewsets filters through ``organizations.scope``: a unit
manager lists, opens and edits only officers and units in their own subtree;
anything else is a 404, also when typed in by URL. Units and officers are never
deleted here (organizations.permissions): units are deactivated or dissolved.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.template.defaultfilters import yesno
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from core.vietnamese.collation import vietnamese

from . import selectors, services
from .choosers import use_unit_chooser
from .forms import RoleAssignmentCloseForm, RoleAssignmentCreateForm, UnitCreateForm, UnitEditForm
from .models import Officer, RoleAssignment, Unit, UnitLevel
from .scope import is_auditor, managed_unit_paths, scope_filter


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


class OfficerIndexView(scoped_views("unit__path")["index_view_class"]):
    search_with = staticmethod(selectors.search_officers)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")

    @cached_property
    def columns(self):
        # full_name is a property: name its column, and sort it by the Vietnamese name key.
        name, *others = super().columns
        name.label, name.sort_key = _("Full name"), "sort_key"
        return [name, *others]

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(_("Roles"), url=roles_url(instance.pk), icon_name="tag", priority=15),
        ]


class OfficerEditView(scoped_views("unit__path")["edit_view_class"]):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(_("Roles"), url=roles_url(self.object.pk), icon_name="tag"),
        ]


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
    inspect_view_fields = [
        "code", "family_name", "middle_name", "given_name", "date_of_birth", "gender",
        "phone", "email", "unit", "user",
    ]  # fmt: skip
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
    index_view_class = OfficerIndexView
    edit_view_class = OfficerEditView

    @property
    def delete_view(self):
        return not_deletable


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


class YesNoColumn(BooleanColumn):
    """A tick or a cross, read out as "có"/"không" (Wagtail's says True/False in any language)."""

    cell_template_name = "organizations/admin/boolean_cell.html"


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
        is_active = self._get_custom_column("is_active", YesNoColumn)
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


class OfficerFromQueryMixin:
    """``?officer=<id>`` names one officer in the viewer's scope; anything else is a 404."""

    officer: Officer | None = None

    def find_officer(self, *, required: bool) -> Officer | None:
        raw = self.request.GET.get("officer", "")
        if not raw and not required:
            return None
        if not raw.isdigit():
            raise Http404
        officer = Officer.objects.in_scope(self.request.user).filter(pk=int(raw)).first()
        if officer is None:
            raise Http404
        return officer

    def officer_breadcrumbs(self) -> list[dict]:
        officer = self.officer
        items = [
            {"url": reverse("roster_officers:index"), "label": capfirst(Officer._meta.verbose_name_plural)}
        ]
        items.append({"url": reverse("roster_officers:edit", args=[officer.pk]), "label": officer.full_name})
        return items


def role_status(role: RoleAssignment) -> str:
    if role.is_current:
        return pgettext_lazy("role assignment", "Current")
    return _("Not started yet") if role.start_date > timezone.localdate() else _("Ended")


class RoleAssignmentIndexView(OfficerFromQueryMixin, ScopedIndexView):
    """Role assignments at units in the viewer's scope; ``?officer=`` narrows to one officer's history.

    Closed assignments stay listed: history is never rewritten. Only open ones can be closed.
    """

    template_name = "organizations/admin/index.html"
    scope_path_field = "unit__path"
    search_with = staticmethod(selectors.search_role_assignments)

    def get(self, request, *args, **kwargs):
        self.officer = self.find_officer(required=False)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        roles = super().get_base_queryset().select_related("officer", "unit")
        if self.officer is not None:
            roles = roles.filter(officer=self.officer)
        return roles

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.end_date is None else None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for button in buttons:
            if button.url == self.get_edit_url(instance):
                button.label = _("Close role")
        return buttons

    def get_add_url(self):
        # A role is added for one officer: from their history, not from the full list.
        url = super().get_add_url()
        if url and self.officer is not None:
            return f"{url}?{urlencode({'officer': self.officer.pk})}"
        return None

    @cached_property
    def columns(self):
        columns = super().columns
        status = LinkColumn("status", label=_("Status"), get_text=role_status)
        return [*columns, status]

    def get_page_subtitle(self):
        return self.officer.full_name if self.officer else super().get_page_subtitle()

    def get_breadcrumbs_items(self):
        if self.officer is None:
            return super().get_breadcrumbs_items()
        return [
            *self.breadcrumbs_items,
            *self.officer_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["kept_query"] = {"officer": self.officer.pk} if self.officer else {}
        return context


class RoleAssignmentCreateView(OfficerFromQueryMixin, ScopedFormMixin, generic.CreateView):
    """A new role for the officer named by ``?officer=`` (in scope), at a unit in scope."""

    def get(self, request, *args, **kwargs):
        self.officer = self.find_officer(required=True)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.officer = self.find_officer(required=True)
        return super().post(request, *args, **kwargs)

    def get_initial_form_instance(self):
        return RoleAssignment(officer=self.officer)

    def get_initial(self):
        return {**super().get_initial(), "unit": self.officer.unit_id}

    def get_add_url(self):
        return f"{super().get_add_url()}?{urlencode({'officer': self.officer.pk})}"

    def get_success_url(self):
        return roles_url(self.officer.pk)

    def get_success_buttons(self):
        return []

    def get_page_subtitle(self):
        return self.officer.full_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            *self.officer_breadcrumbs(),
            {
                "url": roles_url(self.officer.pk),
                "label": capfirst(RoleAssignment._meta.verbose_name_plural),
            },
            {"url": "", "label": _("New role")},
        ]

    def save_instance(self):
        data = self.form.cleaned_data
        assignment = services.add_role_assignment(
            officer=self.officer,
            role=data["role"],
            unit=data["unit"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
        )
        log(instance=assignment, action="wagtail.create", user=self.request.user)
        return assignment


class RoleAssignmentCloseView(ScopedMixin, generic.EditView):
    """Closing an open role: its end date is set, the row stays. A closed role is not edited (404)."""

    scope_path_field = "unit__path"
    page_title = _("Close role")

    def get_object(self, *args, **kwargs):
        assignment = super().get_object(*args, **kwargs)
        if assignment.end_date is not None:
            raise Http404
        return assignment

    def get_page_subtitle(self):
        return f"{self.object.officer.full_name}: {self.object}"

    def get_success_url(self):
        return roles_url(self.object.officer_id)

    def get_success_message(self):
        return _("The role “%(role)s” was closed; it stays in the history.") % {"role": self.object}

    def save_instance(self):
        assignment = services.end_role(
            assignment=RoleAssignment.objects.get(pk=self.object.pk),
            end_date=self.form.cleaned_data["end_date"],
        )
        log(instance=assignment, action="wagtail.edit", user=self.request.user)
        return assignment


ROLE_CREATE_PANEL = ObjectList(
    [
        FieldRowPanel([FieldPanel("role"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ],
    base_form_class=RoleAssignmentCreateForm,
)


class RoleAssignmentViewSet(ModelViewSet):
    """Officers' roles: listed and added within scope, closed with an end date, never deleted."""

    model = RoleAssignment
    url_prefix = "roster/roles"
    url_namespace = "roster_roles"
    icon = "tag"
    menu_label = _("Roles")
    add_to_admin_menu = False
    list_display = ["officer", "role", "unit", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = [
        "officer__family_name",
        "officer__middle_name",
        "officer__given_name",
        "officer__code",
        "unit__name",
        "unit__code",
    ]
    inspect_view_enabled = True
    inspect_view_fields = ["officer", "role", "unit", "start_date", "end_date"]
    copy_view_enabled = False
    edit_handler = ObjectList([FieldPanel("end_date")], base_form_class=RoleAssignmentCloseForm)
    locals().update(scoped_views("unit__path"))
    index_view_class = RoleAssignmentIndexView
    add_view_class = RoleAssignmentCreateView
    edit_view_class = RoleAssignmentCloseView

    @property
    def delete_view(self):
        return not_deletable

    def get_add_view_kwargs(self, **kwargs):
        panel = ROLE_CREATE_PANEL.bind_to_model(RoleAssignment)
        return super().get_add_view_kwargs(**{"panel": panel, "form_class": panel.get_form_class(), **kwargs})


class OrganizationsViewSetGroup(ViewSetGroup):
    menu_label = _("Union tree")
    menu_icon = "site"
    menu_order = 200
    items = (UnitViewSet, OfficerViewSet, RoleAssignmentViewSet)
