from wagtail import hooks

from .choosers import unit_chooser_viewset
from .viewsets import OrganizationsViewSetGroup


@hooks.register("register_admin_viewset")
def register_organizations_viewsets():
    return OrganizationsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_unit_chooser_viewset():
    return unit_chooser_viewset
