"""The two staff groups every install needs, with their permissions.

Made after every ``migrate`` (a ``post_migrate`` handler), so a real install — not only the
demo — has an Auditors group that sees and edits the whole roster in the Wagtail admin and a
Unit managers group that keeps its own subtree's roster (scope limits them to it). Idempotent.
"""

from django.contrib.auth.models import Group, Permission

from .scope import AUDITOR_GROUP

MANAGER_GROUP = "Unit managers"
# Roles are added and closed ("change"); deleting is refused to everyone (organizations.permissions).
MANAGER_CODENAMES = ["view_officer", "change_officer", "add_officer", "view_unit", "change_unit", "add_unit"]
MANAGER_CODENAMES += ["view_roleassignment", "add_roleassignment", "change_roleassignment"]


def ensure_groups() -> dict[str, Group]:
    """Auditors see everything; unit managers keep their subtree's roster in the admin."""
    auditors, _ = Group.objects.get_or_create(name=AUDITOR_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    roster = Permission.objects.filter(content_type__app_label="organizations")
    auditors.permissions.add(*admin_access, *roster)
    managers.permissions.add(*admin_access, *roster.filter(codename__in=MANAGER_CODENAMES))
    return {"auditors": auditors, "managers": managers}


def ensure_groups_after_migrate(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    if using != "default":
        return
    # This app is listed before django.contrib.auth, so auth's own post_migrate handler has
    # not made this app's permissions yet; make them now (idempotent, as auth's handler is).
    create_contenttypes(sender, verbosity=0, using=using)
    create_permissions(sender, verbosity=0, using=using)
    ensure_groups()
