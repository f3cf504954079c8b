"""The officers' admin screens."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from .. import selectors
from ..models import Officer
from .scoped import not_deletable, roles_url, scoped_views


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
    # The phone as people read it (0912 345 678), not as stored (+84912345678).
    list_display = ["full_name", "code", "unit", "email", Column("phone_display", label=_("phone"))]
    list_filter = ["gender"]
    search_fields = ["family_name", "middle_name", "given_name", "code", "email", "phone"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "code", "family_name", "middle_name", "given_name", "date_of_birth", "gender",
        "phone", "email", "preferred_channel", "unit", "user",
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
            [
                FieldPanel("code"),
                FieldPanel("unit"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("preferred_channel"),
            ],
            heading=_("Roster"),
        ),
    ]
    locals().update(scoped_views("unit__path"))
    index_view_class = OfficerIndexView
    edit_view_class = OfficerEditView

    @property
    def delete_view(self):
        return not_deletable
