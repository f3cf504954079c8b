"""Certificate pages: my certificates, downloads, the register for auditors and managers,
revocation and reissue, bulk ZIPs, and the public verification page."""

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.log_actions import registry as log_registry

from core.jobs import JobStatus, job_payload, status_payload
from organizations.models import UnitLevel
from organizations.scope import is_auditor, is_manager, managed_unit_paths, visible_units

from . import codes, issuing, selectors, services
from .models import BulkExport, Certificate

VERIFY_LIMIT_PER_MINUTE = 30


def _whole_number(text: str, digits: int) -> int | None:
    """``text`` as a number of at most ``digits`` ASCII digits, else None (``"²".isdigit()`` is
    true but int() refuses it; a longer number overflows the database's integer columns)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


def _require_auditor(user) -> None:
    if not is_auditor(user):
        raise Http404


def _require_register_access(user) -> None:
    if not (is_auditor(user) or is_manager(user)):
        raise Http404


MY_CERTIFICATES_PER_PAGE = 20


@login_required
def my_certificates(request):
    certificates = (
        Certificate.objects.owned_by(request.user)
        .select_related("superseded_by")
        .order_by("-issued_on", "-id")
    )
    page = Paginator(certificates, MY_CERTIFICATES_PER_PAGE).get_page(request.GET.get("page"))
    preparing = any(c.status == "preparing" for c in page)
    return render(request, "certificates/mine.html", {"page_obj": page, "preparing": preparing})


@login_required
@never_cache
def my_status(request):
    """For the page's polling: how many of my certificates are still being prepared."""
    pending = (
        Certificate.objects.owned_by(request.user)
        .current()
        .filter(pdf_sha256="", render_failed_at__isnull=True, revoked_at__isnull=True)
        .count()
    )
    # The job poller's shape: the page reloads once nothing is being prepared any more.
    return JsonResponse(
        status_payload(
            status=JobStatus.RUNNING if pending else JobStatus.DONE,
            label="",
            progress=0,
            running=bool(pending),
            preparing=pending,
        )
    )


@login_required
@never_cache
def course_status(request, course_id: int):
    """For the quiz result page's polling: my certificate for one course, in the job poller's
    shape. ``done`` with its download link once the PDF is ready; ``running`` while it is being
    prepared; ``failed`` or ``none`` stop the polling."""
    found = selectors.course_certificate(request.user, course_id)
    status = {
        "ready": JobStatus.DONE,
        "preparing": JobStatus.RUNNING,
        "failed": JobStatus.FAILED,
        "none": "none",
    }[found.state]
    labels = {
        "ready": _("Your certificate is ready."),
        "preparing": _("Your certificate is being prepared."),
        "failed": _("We could not prepare this certificate yet; it will be tried again automatically."),
        "none": "",
    }
    return JsonResponse(
        status_payload(
            status=status,
            label=labels[found.state],
            progress=100 if found.state == "ready" else 0,
            download_url=reverse("certificates:download", args=[found.certificate.pk])
            if found.state == "ready"
            else "",
            running=found.state == "preparing",
        )
    )


def _pdf_response(path, filename: str) -> FileResponse:
    try:
        handle = (services.private_root() / path).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def download(request, pk: int):
    """The PDF, for its owner, a manager whose scope holds the owner's unit, or an auditor; else 404."""
    certificate = get_object_or_404(
        Certificate.objects.visible_to(request.user).exclude(pdf_sha256=""), pk=pk
    )
    filename = f"GCN-{certificate.number}-{certificate.year}-{certificate.issuer_code}.pdf"
    return _pdf_response(certificate.pdf_path, filename)


@login_required
def register(request):
    """Certificates in the viewer's scope, searchable by number, name or code."""
    _require_register_access(request.user)
    certificates = Certificate.objects.visible_to(request.user).select_related("superseded_by")
    # Renders that gave up after their retries: flagged for operators, listed alone with ?failed=1.
    failed = Q(pdf_sha256="", render_failed_at__isnull=False)
    failed_count = certificates.filter(failed).count()
    only_failed = request.GET.get("failed") == "1"
    if only_failed:
        certificates = certificates.filter(failed)
    search = request.GET.get("q", "").strip()
    if search:
        condition = Q(full_name__icontains=search) | Q(verification_code__in=codes.lookup_candidates(search))
        if (number := _whole_number(search.split("/")[0], 9)) is not None:
            condition |= Q(number=number)
        certificates = certificates.filter(condition)
    year = request.GET.get("year", "")
    if (year_number := _whole_number(year, 4)) is not None:
        certificates = certificates.filter(year=year_number)
    page = Paginator(certificates.order_by("-issued_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/register.html",
        {
            "page_obj": page,
            "search": search,
            "year": year,
            "auditor": is_auditor(request.user),
            "failed_count": failed_count,
            "only_failed": only_failed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, pk: int):
    """One certificate for an auditor: its history, and the revoke and reissue actions."""
    _require_auditor(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("supersedes", "superseded_by", "revoked_by", "template"), pk=pk
    )
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        action = request.POST.get("action")
        try:
            if action == "revoke":
                issuing.revoke_certificate(certificate=certificate, by=request.user, reason=reason)
                messages.success(request, _("The certificate was revoked."))
                return redirect("certificates:manage", pk=certificate.pk)
            if action == "reissue":
                new = issuing.reissue_certificate(certificate=certificate, by=request.user, reason=reason)
                messages.success(
                    request, _("A new certificate %(number)s replaces it.") % {"number": new.number_display}
                )
                return redirect("certificates:manage", pk=new.pk)
            raise Http404
        except issuing.CertificateReplaced as refusal:
            messages.error(request, _successor_link(str(refusal), refusal.successor))
            certificate.refresh_from_db()
        except ValueError as error:
            messages.error(request, str(error))
            certificate.refresh_from_db()  # a racing change may be why: show the state it caused
    # Its revocation and reissue, as services logged them (one entry each; refusals none).
    history = log_registry.get_logs_for_instance(certificate).select_related("user").order_by("timestamp")
    return render(
        request,
        "certificates/manage.html",
        {"certificate": certificate, "successor": certificate.current_successor(), "history": history},
    )


def _successor_link(message: str, successor: Certificate | None):
    """The refusal with a link to the certificate that replaced this one."""
    if successor is None:
        return message
    return format_html(
        '{} <a href="{}">{}</a>',
        message,
        reverse("certificates:manage", args=[successor.pk]),
        _("Open %(number)s") % {"number": successor.number_display},
    )


def _export_units(user):
    """The units offered for a ZIP: the roots of the user's scope whatever their level (a
    grassroots union's manager gets their union), plus the city and upper-level units in
    scope (all of them for an auditor) — a short list, never every grassroots union."""
    roots = Q(path__in=managed_unit_paths(user)) | Q(level__in=[UnitLevel.CITY, UnitLevel.UPPER])
    return visible_units(user).filter(roots).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def bulk_request(request):
    """Ask for a ZIP of a unit subtree's certificates for a year."""
    _require_register_access(request.user)
    this_year = timezone.localdate().year
    errors = []
    if request.method == "POST":
        code = request.POST.get("unit", "").strip()
        unit = visible_units(request.user).filter(code=code).first()
        year = _whole_number(request.POST.get("year", ""), 4)
        if unit is None:
            errors.append(_("Choose a unit in your scope."))
        if year is None or not 2000 <= year <= this_year + 1:
            errors.append(_("Enter a valid year."))
        if not errors:
            export = services.request_bulk_export(user=request.user, unit=unit, year=year)
            return redirect("certificates:bulk_detail", pk=export.pk)
    exports = BulkExport.objects.filter(requested_by=request.user).select_related("unit")[:10]
    return render(
        request,
        "certificates/bulk.html",
        {
            "units": _export_units(request.user),
            "years": range(this_year, this_year - 6, -1),
            "errors": errors,
            "exports": exports,
        },
    )


def _own_export(request, pk: int) -> BulkExport:
    _require_register_access(request.user)
    export = get_object_or_404(BulkExport.objects.select_related("unit"), pk=pk, requested_by=request.user)
    if not visible_units(request.user).filter(pk=export.unit_id).exists():
        raise Http404
    return export


@login_required
def bulk_detail(request, pk: int):
    return render(
        request,
        "certificates/bulk_detail.html",
        {"export": _own_export(request, pk), "retention_days": settings.GENERATED_FILE_RETENTION_DAYS},
    )


@login_required
@never_cache
def bulk_status(request, pk: int):
    export = _own_export(request, pk)
    return JsonResponse(
        job_payload(
            export,
            message=f"{export.done}/{export.total}",
            download_url=reverse("certificates:bulk_download", args=[export.pk]),
            done=export.done,
            total=export.total,
            retrying=export.is_retrying,
            stalled=export.is_stalled,
        )
    )


@login_required
def bulk_download(request, pk: int):
    """The ZIP; once the retention sweep removed it, back to its page, which says so and
    offers to build a new one."""
    export = _own_export(request, pk)
    if export.status not in (JobStatus.DONE, JobStatus.EXPIRED):
        raise Http404
    if not export.has_file:
        messages.info(request, _("This ZIP has expired and its file was deleted. Build a new one."))
        return redirect("certificates:bulk_detail", pk=export.pk)
    response = _pdf_response(export.file_path, f"GCN-{export.unit.code}-{export.year}.zip")
    response["Content-Type"] = "application/zip"
    return response


# --- Public verification --------------------------------------------------------------


def _client_ip(request) -> str:
    """The client's address as sign-in's rate limits see it (trusted proxy header settings included)."""
    try:
        return get_account_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _rate_limited(request) -> bool:
    """Count lookups per client IP per minute in the cache; True once over the limit."""
    key = f"verify-rate:{_client_ip(request)}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=120):
        return False
    try:
        return cache.incr(key) > VERIFY_LIMIT_PER_MINUTE
    except ValueError:
        cache.set(key, 1, timeout=120)
        return False


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def verify_form(request):
    """A form to type a verification code; redirects to its page.

    A new code is read leniently (any case, spaces and dashes, I/L as 1, O as 0) and sent to
    its printed form (``/verify/7KQ2-M9XD-4TGH-B1ZC/``); an older code as typed."""
    typed = request.GET.get("code", "").strip()
    # People paste the whole address the QR code opens; the code is its last segment.
    code = typed.rstrip("/").rsplit("/", 1)[-1].strip()
    if (canonical := codes.canonical(code)) is not None:
        return redirect("verify:detail", code=codes.display_code(canonical))
    if code and codes.is_old_shape(code):
        return redirect("verify:detail", code=code)
    if typed:
        return _noindex(render(request, "certificates/verify_form.html", {"not_found": typed}, status=404))
    return _noindex(render(request, "certificates/verify_form.html", {}))


def find_by_code(typed: str) -> Certificate | None:
    """The rendered certificate whose code ``typed`` stands for (``codes.lookup_candidates``):
    a new code however it was typed, else an older code exactly as stored. One query."""
    candidates = codes.lookup_candidates(typed)
    if not candidates:
        return None
    found = {
        c.verification_code: c
        for c in Certificate.objects.select_related("superseded_by")
        .filter(verification_code__in=candidates)
        .exclude(pdf_sha256="")
    }
    return next((found[code] for code in candidates if code in found), None)


def verify_detail(request, code: str):
    """Public: valid/revoked/superseded and what the certificate itself prints. No sign-in."""
    if _rate_limited(request):
        return _noindex(render(request, "certificates/verify_limited.html", {}, status=429))
    certificate = find_by_code(code)
    if certificate is None:
        return _noindex(render(request, "certificates/verify_form.html", {"not_found": code}, status=404))
    return _noindex(render(request, "certificates/verify_detail.html", {"c": certificate}))
