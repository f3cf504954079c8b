"""Who keeps the certificate templates: the department (the Auditors group), made after every ``migrate``.

Deleting is left to superusers: a template that certificates remember cannot be deleted anyway
(``on_delete=PROTECT``), and an unused one is simply left unselected.
"""

from django.contrib.auth.models import Group, Permission

from organizations.scope import AUDITOR_GROUP

TEMPLATE_CODENAMES = ["add_certificatetemplate", "change_certificatetemplate", "view_certificatetemplate"]


def grant_template_permissions() -> None:
    auditors, _ = Group.objects.get_or_create(name=AUDITOR_GROUP)
    auditors.permissions.add(
        *Permission.objects.filter(content_type__app_label="certificates", codename__in=TEMPLATE_CODENAMES)
    )


def grant_template_permissions_after_migrate(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    if using != "default":
        return
    # auth's own post_migrate handler may not have made this app's permissions yet (app order).
    create_contenttypes(sender, verbosity=0, using=using)
    create_permissions(sender, verbosity=0, using=using)
    grant_template_permissions()
