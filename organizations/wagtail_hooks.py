from wagtail import hooks

from .viewsets import OrganizationsViewSetGroup


@hooks.register("register_admin_viewset")
def register_organizations_viewsets():
    return OrganizationsViewSetGroup()
