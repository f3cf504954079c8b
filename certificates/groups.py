"""Who keeps the certificate templates: the department (the Auditors group).

Declared on ``CertificatesConfig.group_permissions``; granted after every ``migrate`` by core's
one handler (``core.groups``). Deleting is left to superusers: a template that certificates
remember cannot be deleted anyway (``on_delete=PROTECT``), and an unused one is simply left
unselected.
"""

from organizations.scope import AUDITOR_GROUP

TEMPLATE_CODENAMES = ["add_certificatetemplate", "change_certificatetemplate", "view_certificatetemplate"]

GROUP_PERMISSIONS = {AUDITOR_GROUP: TEMPLATE_CODENAMES}
