"""Certificates in the Wagtail admin: templates as a snippet, and a link to the register
where auditors revoke and reissue certificates."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from organizations.scope import is_auditor

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    add_to_admin_menu = True
    menu_order = 400
    list_display = ["name", "is_default", "orientation", "signer_name"]


register_snippet(CertificateTemplateViewSet)


class AuditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_auditor(request.user)


@hooks.register("register_admin_menu_item")
def register_certificate_register_menu_item():
    # Revocation and reissue live on the register page, which checks the auditor role itself.
    return AuditorMenuItem(
        _("Certificate register"), reverse("certificates:register"), icon_name="tick-inverse", order=410
    )


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    # Written by issuing.revoke_certificate and issuing.reissue_certificate, each in the
    # transaction of its change: one entry per revocation or reissue, none for a refusal.
    actions.register_action("certificates.revoke", _("Revoke certificate"), _("Revoked"))
    actions.register_action("certificates.reissue", _("Reissue certificate"), _("Reissued"))
