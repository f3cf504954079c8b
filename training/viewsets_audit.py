"""Requirement rules in the Wagtail admin: auditors edit a year's targets and copy a year forward."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import MenuItem

from .audit_services import copy_year_forward
from .models import Requirement


class RequirementIndexView(generic.IndexView):
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
    ]

    def copy_forward_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        requirement = get_object_or_404(Requirement, pk=pk)
        to_year = requirement.year + 1
        if request.method == "POST":
            copied = copy_year_forward(from_year=requirement.year, to_year=to_year)
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
            path("copy-forward/<int:pk>/", self.copy_forward_view, name="copy_forward"),
        ]


VIEWSETS: list = [RequirementViewSet()]
