"""Staff groups and their permissions: each app declares them, one handler grants them.

An app's ``AppConfig`` may carry ``group_permissions``, a dict from a group's name to the
permissions that group needs from that app::

    group_permissions = {"Auditors": ["*", "wagtailadmin.access_admin"], "Unit managers": ["view_unit"]}

A plain codename is one of the declaring app's permissions, ``"*"`` is all of them, and
``"app_label.codename"`` names another app's permission (Wagtail's ``access_admin``).

Why one ``post_migrate`` handler rather than data migrations or a handler per app: a data
migration runs once, so a permission added later or an install that skipped it stays without
it, while this runs after every ``migrate`` on every install (not only the demo's); and the
content-type dance each app's own handler repeated is written once here. It is idempotent
(get-or-create; adding a permission twice is a no-op) and never takes a permission away.
Core reads the declarations off the app registry, so it imports no domain app.
"""

from django.apps import AppConfig, apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q


def declaring_apps() -> list[AppConfig]:
    return [config for config in apps.get_app_configs() if getattr(config, "group_permissions", None)]


def declared_permissions(app_config: AppConfig, names: list[str]):
    """The permissions ``names`` stand for, read as in the module docstring."""
    wanted = Q(pk__in=[])
    for name in names:
        app_label, _dot, codename = name.rpartition(".")
        app_label = app_label or app_config.label
        if codename == "*":
            wanted |= Q(content_type__app_label=app_label)
        else:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted)


def grant_group_permissions(app_config: AppConfig) -> dict[str, Group]:
    """Make the groups ``app_config`` declares and give them its declared permissions.

    Idempotent; returns the groups by name. Permissions that do not exist yet are skipped (see
    ``grant_after_migrate``, which makes them first)."""
    groups = {}
    for name, permission_names in app_config.group_permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*declared_permissions(app_config, permission_names))
        groups[name] = group
    return groups


def grant_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The ``post_migrate`` handler, connected once per declaring app (``core.apps``)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    if using != DEFAULT_DB_ALIAS:
        return
    # Apps listed before django.contrib.auth get their post_migrate first, before auth's own
    # handler has made their permissions; make them now (idempotent, as auth's handler is).
    create_contenttypes(sender, verbosity=0, using=using)
    create_permissions(sender, verbosity=0, using=using)
    grant_group_permissions(sender)


def connect_group_permissions() -> None:
    from django.db.models.signals import post_migrate

    for config in declaring_apps():
        post_migrate.connect(grant_after_migrate, sender=config, dispatch_uid=f"core.groups.{config.label}")
