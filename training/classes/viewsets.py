"""In-person classes in the Wagtail admin, limited to classes of units in the user's scope.

The site pages (/training/classes/) are where organisers record attendance; the admin
listing lets staff find, fix and filter classes alongside the roster.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from organizations.choosers import use_unit_chooser
from organizations.viewsets import scoped_views

from ..models import InPersonClass
from . import invitations


def _with_unit_choices_in_scope(view_class):
    class View(view_class):
        def get_form(self, *args, **kwargs):
            form = super().get_form(*args, **kwargs)
            if "organising_unit" in form.fields:
                use_unit_chooser(form.fields["organising_unit"], self.request.user)
            return form

    View.__name__ = view_class.__name__
    return View


def _telling_invitees(view_class):
    """The admin's edit does what the site's edit does after saving (waiting list, notices)."""

    class View(view_class):
        def save_instance(self):
            instance = super().save_instance()
            invitations.after_class_edited(instance, self.form.changed_data)
            return instance

    View.__name__ = view_class.__name__
    return View


_views = scoped_views("organising_unit__path")
_views["add_view_class"] = _with_unit_choices_in_scope(_views["add_view_class"])
_views["edit_view_class"] = _telling_invitees(_with_unit_choices_in_scope(_views["edit_view_class"]))


class InPersonClassViewSet(ModelViewSet):
    model = InPersonClass
    url_prefix = "training/classes"
    url_namespace = "training_classes"
    icon = "group"
    menu_label = _("In-person classes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "title",
        "organising_unit",
        "start_date",
        "end_date",
        "hours",
        "counts_toward_requirement",
    ]
    list_filter = ["counts_toward_requirement", "grants_certificate", "start_date"]
    search_fields = ["title", "topic", "place"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("kind"),
                FieldPanel("topic"),
                FieldPanel("organising_unit"),
                FieldPanel("place"),
                FieldPanel("capacity"),
            ],
            heading=_("Class"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel(
                    [
                        FieldPanel("hours"),
                        FieldPanel("counts_toward_requirement"),
                        FieldPanel("grants_certificate"),
                    ]
                ),
            ],
            heading=_("Dates"),
        ),
    ]
    locals().update(_views)


VIEWSETS = [InPersonClassViewSet()]
