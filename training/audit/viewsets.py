"""Requirement rules in the Wagtail admin: auditors edit a year's targets and copy a year forward.

A closed year's requirements are frozen with its audit: their edit and delete buttons are
hidden, and the edit, delete, add and copy views refuse with a message (the model layer
raises ``YearClosedError`` whatever the caller) until an auditor reopens the year.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import MenuItem

from ..models import Requirement, YearClosedError, YearClosure
from .services import closed_year_message, copy_year_forward


class RequirementIndexView(generic.IndexView):
    @cached_property
    def closed_years(self) -> set[int]:
        return set(YearClosure.objects.filter(is_closed=True).values_list("year", flat=True))

    def get_edit_url(self, instance):
        return None if instance.year in self.closed_years else super().get_edit_url(instance)

    def get_delete_url(self, instance):
        return None if instance.year in self.closed_years else super().get_delete_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                MenuItem(
                    gettext_lazy("Copy year forward"),
                    url=reverse("training_requirements:copy_forward", args=[instance.pk]),
                    icon_name="copy",
                    priority=25,
                )
            )
        return buttons


class ClosedYearRefusal:
    """Edit and delete views: a closed year's requirement is not opened, let alone saved.

    Checked on every request after the permission check; a save that still meets a closed
    year (the year field changed to one, or the year closed meanwhile) becomes a form error.
    """

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def refusal(self):
        requirement = getattr(self, "object", None) or self.get_object()
        if YearClosure.objects.filter(year=requirement.year, is_closed=True).exists():
            messages.error(self.request, closed_year_message(requirement.year))
            return redirect(self.index_url_name)
        return None


class SaveRefusedInClosedYear:
    """Create and edit views: a save refused by the model layer becomes an error on the year field."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except YearClosedError as error:  # the transaction was rolled back: nothing saved
            message = closed_year_message(error.year)
            form.add_error("year" if "year" in form.fields else None, message)
            self.produced_error_message = message
            return self.form_invalid(form)


class RequirementCreateView(SaveRefusedInClosedYear, generic.CreateView):
    pass


class RequirementEditView(ClosedYearRefusal, SaveRefusedInClosedYear, generic.EditView):
    pass


class RequirementDeleteView(ClosedYearRefusal, generic.DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except YearClosedError as error:
            messages.error(self.request, closed_year_message(error.year))
            return redirect(self.index_url_name)


class RequirementViewSet(ModelViewSet):
    model = Requirement
    url_prefix = "training/requirements"
    url_namespace = "training_requirements"
    icon = "tasks"
    menu_label = gettext_lazy("Training requirements")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["year", "target", "title", "deadline", "min_trainings", "min_hours"]
    list_filter = ["year", "target"]
    index_view_class = RequirementIndexView
    add_view_class = RequirementCreateView
    edit_view_class = RequirementEditView
    delete_view_class = RequirementDeleteView
    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("year"), FieldPanel("target")]), FieldPanel("title")],
            heading=gettext_lazy("Target"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_trainings"), FieldPanel("min_hours"), FieldPanel("deadline")]),
                FieldPanel("notes"),
            ],
            heading=gettext_lazy("What counts as done"),
        ),
        InlinePanel("rules", heading=gettext_lazy("Who or which units it concerns"), min_num=1),
        MultiFieldPanel(
            [
                InlinePanel("course_links", label=gettext_lazy("online course")),
                FieldPanel("class_kinds", widget=forms.CheckboxSelectMultiple),
            ],
            heading=gettext_lazy("Courses assigned to the officers it requires"),
        ),
    ]

    def copy_forward_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        requirement = get_object_or_404(Requirement, pk=pk)
        to_year = requirement.year + 1
        if request.method == "POST":
            try:
                copied = copy_year_forward(from_year=requirement.year, to_year=to_year)
            except YearClosedError as error:
                messages.error(request, closed_year_message(error.year))
                return redirect(self.get_url_name("index"))
            messages.success(
                request,
                _("%(count)s requirement(s) copied from %(from)s to %(to)s.")
                % {"count": len(copied), "from": requirement.year, "to": to_year},
            )
            return redirect(self.get_url_name("index"))
        return TemplateResponse(
            request,
            "training/admin/copy_forward.html",
            {"requirement": requirement, "to_year": to_year, "header_title": _("Copy year forward")},
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("copy-forward/<dbid:pk>/", self.copy_forward_view, name="copy_forward"),
        ]


VIEWSETS: list = [RequirementViewSet()]
