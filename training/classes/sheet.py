"""The sign-in sheet of a class (A4 PDF, WeasyPrint): the accepted officers in Vietnamese name
order with their unit, role, a signature column and each one's personal check-in QR code.

The QR code encodes a signed URL naming the class and the officer; scanned by the signed-in
organiser (scope checked by the page), it records that officer's attendance through the usual
attendance service. Rendered with the bundled Be Vietnam Pro font (one ``FontConfiguration``
per process: a new one per render leaks), like the activation sheet and certificates.
"""

import atexit
import threading
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from organizations.models import Role, RoleAssignment

from ..models import InPersonClass, InvitationState
from .invitations import when_text

ATTEND_SALT = "training.class-attendance"
_lock = threading.Lock()
_shared: dict = {}
atexit.register(_shared.clear)


def attend_url(in_person_class: InPersonClass, officer_id: int) -> str:
    token = signing.dumps([in_person_class.pk, officer_id], salt=ATTEND_SALT)
    return settings.SITE_URL + reverse("training:attend", args=[token])


def _resources():
    with _lock:
        if not _shared:
            import fontpkg_be_vietnam_pro
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            folder = Path(fontpkg_be_vietnam_pro.__file__).resolve().parent / "files"
            faces = "\n".join(
                f'@font-face {{ font-family: "Be Vietnam Pro"; font-weight: {weight}; '
                f'src: url("{(folder / name).as_uri()}"); }}'
                for weight, name in [
                    ("normal", "BeVietnamPro-Regular.ttf"),
                    ("bold", "BeVietnamPro-Bold.ttf"),
                ]
            )
            stylesheet = (
                Path(__file__).resolve().parent.parent / "static" / "training" / "pdf" / "sign_in.css"
            )
            font_config = FontConfiguration()
            css = CSS(string=faces + "\n" + stylesheet.read_text(encoding="utf-8"), font_config=font_config)
            _shared.update(font_config=font_config, css=css)
        return _shared["font_config"], _shared["css"]


def sheet_rows(in_person_class: InPersonClass) -> list[dict]:
    """The accepted officers with unit and roles (current), in name order. Two queries."""
    invitations = list(
        in_person_class.invitations.filter(state=InvitationState.ACCEPTED)
        .select_related("officer__unit")
        .order_by("officer__sort_key", "id")
    )
    roles: dict[int, list[str]] = {}
    for officer_id, role in (
        RoleAssignment.objects.filter(
            officer_id__in=[i.officer_id for i in invitations], end_date__isnull=True
        )
        .order_by("role")
        .values_list("officer_id", "role")
    ):
        label = str(Role(role).label)
        if label not in roles.setdefault(officer_id, []):
            roles[officer_id].append(label)
    import segno

    rows = []
    for number, invitation in enumerate(invitations, start=1):
        url = attend_url(in_person_class, invitation.officer_id)
        rows.append(
            {
                "number": number,
                "name": invitation.officer.full_name,
                "unit": invitation.officer.unit.name,
                "roles": ", ".join(roles.get(invitation.officer_id, [])),
                "url": url,
                "qr": segno.make(url, error="m", mask=0).png_data_uri(scale=1, border=2),
            }
        )
    return rows


def render_sign_in_sheet(in_person_class: InPersonClass) -> bytes:
    """The sign-in sheet as PDF bytes. Writes nothing."""
    from weasyprint import HTML

    font_config, css = _resources()
    with translation.override("vi"):
        html = render_to_string(
            "training/classes/sign_in_sheet.html",
            {
                "klass": in_person_class,
                "when": when_text(in_person_class),
                "rows": sheet_rows(in_person_class),
            },
        )
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=font_config)
