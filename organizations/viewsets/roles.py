"""The role assignments' admin screens: an officer's roles, opening and closing one."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from .. import selectors, services
from ..forms import RoleAssignmentCloseForm, RoleAssignmentCreateForm
from ..models import Officer, RoleAssignment
from .scoped import ScopedFormMixin, ScopedIndexView, ScopedMixin, not_deletable, roles_url, scoped_views
from .units import LinkColumn


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
