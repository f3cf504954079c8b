"""Wagtail permission policy for units, officers and roles: no one deletes them in the admin.

History is kept: a unit is deactivated or dissolved (dated), an officer's roles are closed.
Deleting would also cascade to role history and break past audits. With "delete" refused here,
the admin neither offers the action nor lets its URL through (403).
"""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class KeptAsHistoryPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action != "delete"]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


def register() -> None:
    from wagtail.permissions import register_permission_policy

    from .models import Officer, RoleAssignment, Unit

    for model in (Unit, Officer, RoleAssignment):
        register_permission_policy(model, KeptAsHistoryPolicy(model))
