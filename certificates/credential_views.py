"""Public pages of the Open Badges credentials: a certificate's credential (unsigned JSON and
signed VC-JWT), the published keys, the status list, the issuers' profiles, and the check of a
credential pasted or uploaded at ``/verify/``. No sign-in; nothing shown that the certificate
does not print."""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from organizations.models import Unit, UnitLevel

from . import credential_keys, openbadges
from .credential_check import MAX_CREDENTIAL_BYTES, CheckResult, Outcome, check_credential
from .numbering import CITY_ISSUER_CODE
from .views import _noindex, _rate_limited, find_by_code

JWT_TYPE = "application/vc+jwt"
# JWT claims that are not part of the credential itself (OB 3.0 §8.2).
JWT_ONLY_CLAIMS = ("iss", "jti", "nbf", "sub")


def _signed_for(request, code: str):
    if _rate_limited(request):
        return None, _noindex(HttpResponse(status=429))
    certificate = find_by_code(code)
    if certificate is None:
        raise Http404
    try:
        return openbadges.ensure_signed(certificate), None
    except credential_keys.NoCredentialKey:
        return None, _unavailable()


def _unavailable():
    return HttpResponse(
        "Digital certificates are not available yet: the site has no signing key.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def _credential_headers(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The credential never changes once made; its status is in the status list.
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def openbadge_json(request, code: str):
    """The credential as JSON, unsigned: exactly the signed credential's content."""
    token, refusal = _signed_for(request, code)
    if refusal is not None:
        return refusal
    _header, claims = openbadges.decode_jwt(token)
    credential = {name: value for name, value in claims.items() if name not in JWT_ONLY_CLAIMS}
    body = json.dumps(credential, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _credential_headers(response, f"openbadge-{code}.json")


@require_GET
def openbadge_jwt(request, code: str):
    """The signed credential (VC-JWT), the same bytes as the file attached to the PDF."""
    token, refusal = _signed_for(request, code)
    if refusal is not None:
        return refusal
    return _credential_headers(HttpResponse(token, content_type=JWT_TYPE), f"openbadge-{code}.jwt")


@require_GET
def jwks(request):
    """Every signing key's public half, retired ones included, so old credentials still verify."""
    response = JsonResponse(credential_keys.public_key_set(), content_type="application/jwk-set+json")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def status_list(request, number: int):
    """The signed Bitstring Status List: bit N is 1 when the certificate at position N was revoked
    or replaced. Read fresh on every request; caches may keep it a minute."""
    if number != openbadges.STATUS_LIST:
        raise Http404
    try:
        token = openbadges.signed_status_list(number)
    except credential_keys.NoCredentialKey:
        return _unavailable()
    response = HttpResponse(token, content_type=JWT_TYPE)
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request, code: str):
    """An issuing union's Open Badges profile (the ``issuer.id`` of its credentials)."""
    if code == CITY_ISSUER_CODE:
        unit = Unit.objects.filter(level=UnitLevel.CITY).order_by("path").first()
    else:
        unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    profile = {"@context": [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT]}
    profile |= openbadges.issuer_profile(code, unit.name)
    response = JsonResponse(profile, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_POST
def check(request):
    """Check a credential pasted (``credential``) or uploaded (``file``). Bad input of any kind is
    answered on the page with a plain sentence: never an error page."""
    if _rate_limited(request):
        return _noindex(render(request, "certificates/verify_limited.html", {}, status=429))
    try:
        upload = request.FILES.get("file")
        pasted = request.POST.get("credential", "")
    except RequestDataTooBig:
        return _check_page(request, CheckResult(Outcome.TOO_LARGE), status=413)
    if upload is not None:
        if upload.size > MAX_CREDENTIAL_BYTES:
            return _check_page(request, CheckResult(Outcome.TOO_LARGE), status=413)
        result = check_credential(upload.read(MAX_CREDENTIAL_BYTES + 1))
    else:
        result = check_credential(pasted)
    if result.outcome == Outcome.TOO_LARGE:
        status = 413
    else:
        status = 200 if result.genuine or result.outcome == Outcome.EMPTY else 422
    return _check_page(request, result, status=status)


def _check_page(request, result: CheckResult, status: int):
    context = {"check": result, "c": result.certificate}
    return _noindex(render(request, "certificates/verify_form.html", context, status=status))
