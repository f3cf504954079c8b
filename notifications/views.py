import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from organizations.scope import is_auditor, is_manager

from . import reports, routing, selectors


@login_required
def unreachable(request):
    """The officers of the viewer's scope whom no message can reach, with how many there are."""
    if not (is_auditor(request.user) or is_manager(request.user)):
        raise PermissionDenied
    officers = selectors.unreachable_officers(request.user)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/unreachable.html",
        {"page_obj": page, "count": page.paginator.count, "channels": routing.channel_order()},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_report(request, secret: str):
    """eSMS's delivery report (its CallbackUrl; documented as a GET, a POST is read too).
    The secret path segment is the authentication: a wrong one is 403 and changes nothing."""
    expected = settings.NOTIFY_SMS.get("callback_secret", "")
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        return HttpResponseForbidden()
    fields = request.GET
    if request.method == "POST":
        fields = request.POST or _json_fields(request.body) or request.GET
    report = reports.esms_report(fields)
    if report is not None:
        reports.record(report)
    return JsonResponse({"ok": True})  # unknown ids too: the gateway must not keep retrying


@csrf_exempt
@require_POST
def zns_report(request):
    """Zalo's OA webhook: a ZNS message reached the phone (``user_received_message``), signed with
    the OA secret key; a bad signature is 403 and changes nothing, other events are ignored."""
    try:
        report = reports.zalo_report(request.body, request.headers.get("X-ZEvent-Signature", ""))
    except reports.BadSignature:
        return HttpResponseForbidden()
    if report is not None:
        reports.record(report)
    return JsonResponse({"ok": True})


def _json_fields(body: bytes) -> dict:
    try:
        fields = json.loads(body or b"{}")
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}
