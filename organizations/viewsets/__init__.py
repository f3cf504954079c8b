"""Wagtail admin screens for the union tree and the roster, limited to the editor's scope.

Every view of these viewsets filters through ``organizations.scope``: a unit
manager lists, opens and edits only officers and units in their own subtree;
anything else is a 404, also when typed in by URL. Units and officers are never
deleted here (organizations.permissions): units are deactivated or dissolved.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .officers import OfficerViewSet
from .roles import RoleAssignmentViewSet
from .scoped import scoped_views
from .units import UnitViewSet

__all__ = ["OrganizationsViewSetGroup", "scoped_views"]


class OrganizationsViewSetGroup(ViewSetGroup):
    menu_label = _("Union tree")
    menu_icon = "site"
    menu_order = 200
    items = (UnitViewSet, OfficerViewSet, RoleAssignmentViewSet)
