"""Let the Auditors group edit the yearly requirements in the Wagtail admin on every install,
not only in the demo: admin access and the add/change/delete/view permissions of ``Requirement``.

Idempotent (get-or-create, adding a permission twice is a no-op). On a fresh database the
permissions of this app are made here, before Django's post-migrate step would make them.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

AUDITOR_GROUP = "Auditors"  # organizations.scope.AUDITOR_GROUP, frozen as it was when written
REQUIREMENT_CODENAMES = ["add_requirement", "change_requirement", "delete_requirement", "view_requirement"]


def grant(apps, schema_editor):
    db = schema_editor.connection.alias
    # The live app config has ``models_module``; the historical ``apps`` give the models.
    config = global_apps.get_app_config("training")
    create_contenttypes(config, verbosity=0, using=db, apps=apps)
    create_permissions(config, verbosity=0, using=db, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=AUDITOR_GROUP)
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="training", codename__in=REQUIREMENT_CODENAMES
    ) | Permission.objects.using(db).filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(db).filter(name=AUDITOR_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="training", codename__in=REQUIREMENT_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_merge_classes_and_requirements"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
