"""The two staff groups every install needs, with their roster permissions.

Declared here and on ``OrganizationsConfig.group_permissions``; granted after every ``migrate``
by core's one handler (``core.groups``), so a real install — not only the demo — has an Auditors
group that sees and edits the whole roster in the Wagtail admin and a Unit managers group that
keeps its own subtree's roster (scope limits them to it).
"""

from .scope import AUDITOR_GROUP

MANAGER_GROUP = "Unit managers"
# Roles are added and closed ("change"); deleting is refused to everyone (organizations.permissions).
MANAGER_CODENAMES = ["view_officer", "change_officer", "add_officer", "view_unit", "change_unit", "add_unit"]
MANAGER_CODENAMES += ["view_roleassignment", "add_roleassignment", "change_roleassignment"]

GROUP_PERMISSIONS = {
    AUDITOR_GROUP: ["wagtailadmin.access_admin", "*"],  # the whole roster
    MANAGER_GROUP: ["wagtailadmin.access_admin", *MANAGER_CODENAMES],
}


def ensure_groups() -> dict:
    """Auditors see everything; unit managers keep their subtree's roster in the admin. Idempotent.

    What every ``migrate`` does for this app, for fixtures and the demo that need the groups now.
    """
    from django.apps import apps

    from core.groups import grant_group_permissions

    groups = grant_group_permissions(apps.get_app_config("organizations"))
    return {"auditors": groups[AUDITOR_GROUP], "managers": groups[MANAGER_GROUP]}
