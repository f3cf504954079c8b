"""The department's audit (/audit/): thin views over ``selectors``; exports over ``exports``.

Auditors see the whole tree, unit managers their own subtree; anyone else gets 403, and
a unit outside the viewer's scope is a 404, also when typed in by URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.jobs import JobStatus, job_payload
from core.tasks import enqueue
from organizations.models import ContactChannel, Role
from organizations.scope import is_auditor, managed_unit_paths

from ..ledger.selectors import officers_with_history
from ..models import AuditExport, RequirementTarget, YearClosure, YearClosureEvent
from ..tasks import build_audit_export
from . import close_year as closing
from . import exports, rules, selectors, source
from .charts import bar_chart, trend_chart
from .reminders import reminder_plan
from .requests import AuditRequest, audit_request

PAGE_SIZE = 25
UNIT_PAGE_SIZE = 50
AUDIT_PARAMS = ("year", "unit", "sort", "role", "target", "status", "q", "here")
OFFICER_PAGE_PARAM = "opage"  # the officer table under a grassroots union's unit table


def _request(request) -> AuditRequest:
    return audit_request(request.user, request.GET)


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _base_context(audit: AuditRequest, tab: str) -> dict:
    # The viewed year too, so the picker never shows another year than the page's.
    years = sorted(set(selectors.available_years()) | {timezone.localdate().year, audit.year}, reverse=True)
    return {
        "audit": audit,
        "year": audit.year,
        "years": years,
        "node": audit.node,
        "source": audit.source,
        "tab": tab,
        "is_auditor": is_auditor(audit.user),
        "targets": RequirementTarget,
        "requirements": audit.source.requirements,
        "base_query": urlencode(
            {k: v for k, v in (("year", audit.year), ("unit", audit.params["unit"])) if v}
        ),
    }


@login_required
def dashboard(request):
    audit = _request(request)
    context = _base_context(audit, "dashboard")
    if audit.node is not None:
        context["crumbs"] = source.ancestors(audit.source, request.user, audit.node)
        if (
            not audit.node.is_scope
            and len(managed_unit_paths(request.user)) > 1
            and not is_auditor(request.user)
        ):
            # A manager of several subtrees goes back to the view over all of them.
            context["crumbs"].insert(0, {"code": "", "name": _("All units you manage")})
        # Tree order unless sorted: the way the department lists its unions.
        context["headline"], rows = selectors.unit_table(
            audit.source, request.user, audit.node, sort=audit.params["sort"]
        )
        context["page_obj"] = _page(request, rows, UNIT_PAGE_SIZE)
        if audit.node.is_grassroots:
            # Its own page parameter ("opage"), the screen's sort: the same rows, in the same
            # order, as the officers sheet of this screen's export.
            officers = selectors.officer_list(
                audit.source, request.user, audit.node, status="all", sort=audit.params["sort"] or "name"
            )
            officer_page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get(OFFICER_PAGE_PARAM))
            context["officer_page"] = officer_page
            context["officers"] = selectors.describe_officers(audit.source, request.user, list(officer_page))
            context["history_ids"] = officers_with_history(
                request.user, [o["officer_id"] for o in context["officers"]]
            )
    return render(request, "training/audit/dashboard.html", context)


@login_required
def roles(request):
    audit = _request(request)
    context = _base_context(audit, "roles")
    context["rows"] = selectors.role_rows(
        audit.source, request.user, audit.node, sort=audit.params["sort"] or "role"
    )
    context["headline"] = selectors.headline(audit.source, request.user, audit.node)
    return render(request, "training/audit/roles.html", context)


@login_required
def officers(request):
    audit = _request(request)
    p = audit.params
    context = _base_context(audit, "officers")
    rows = selectors.officer_list(
        audit.source,
        request.user,
        audit.node,
        target=p["target"],
        role=p["role"],
        search=p["q"],
        status=p["status"],
        sort=p["sort"] or "name",
        only_here=bool(p["here"]),
    )
    page = _page(request, rows)
    context["page_obj"] = page
    context["officers"] = selectors.describe_officers(
        audit.source, request.user, list(page), target=p["target"]
    )
    context["history_ids"] = officers_with_history(
        request.user, [o["officer_id"] for o in context["officers"]]
    )
    context["roles"] = Role.choices
    choices = source.unit_choices(audit.source, request.user, audit.node)
    top = min((u.depth for u in choices), default=0)
    context["unit_choices"] = [(u.code, "— " * (u.depth - top) + f"{u.name} ({u.code})") for u in choices]
    context["training_targets"] = [(t, RequirementTarget(t).label) for t in rules.TRAINING_TARGETS]
    # Managers and auditors plan classes from the list (not from a closed year's snapshot).
    context["can_invite"] = not audit.source.frozen
    return render(request, "training/audit/officers.html", context)


@login_required
def unstaffed(request):
    audit = _request(request)
    context = _base_context(audit, "unstaffed")
    rows = selectors.unstaffed_units(
        audit.source, request.user, audit.node, sort=audit.params["sort"] or "name"
    )
    page = _page(request, rows)
    context["page_obj"] = page
    context["units"] = selectors.with_upper_names(audit.source, list(page))
    return render(request, "training/audit/unstaffed.html", context)


@login_required
def charts(request):
    audit = _request(request)
    context = _base_context(audit, "charts")
    if audit.node is not None:
        rows = [
            r
            for r in selectors.unit_rows(audit.source, request.user, audit.node, sort="name")
            if not r.is_self
        ]
        context["bars"] = bar_chart(rows) if rows else None
        context["trend"] = trend_chart(selectors.trend(request.user, audit.node, up_to=audit.year))
    return render(request, "training/audit/charts.html", context)


# --- Exports --------------------------------------------------------------------------------------


@login_required
def export(request, view: str, fmt: str):
    """The screen's table(s) as .xlsx or CSV; a large one is built by a Celery task."""
    if view not in exports.VIEWS or fmt not in ("xlsx", "csv") or (fmt == "csv" and view == "all"):
        raise Http404
    audit = _request(request)
    if exports.estimated_rows(audit, view) > settings_limit():
        job = AuditExport.objects.create(
            requested_by=request.user, params={**audit.params, "view": view, "fmt": fmt}
        )
        enqueue(build_audit_export, job.pk)
        return redirect("audit:export_status", pk=job.pk)
    content = exports.render(audit, view, fmt)
    return _file_response(content, exports.file_name(audit, view, fmt), fmt)


def settings_limit() -> int:
    return getattr(settings, "AUDIT_EXPORT_SYNC_ROWS", 3000)


def _file_response(content: bytes, name: str, fmt: str) -> HttpResponse:
    content_type = exports.CONTENT_TYPES[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_status(request, pk: int):
    job = get_object_or_404(AuditExport, pk=pk, requested_by=request.user)
    if request.GET.get("format") == "json" or request.headers.get("accept") == "application/json":
        return JsonResponse(job_payload(job, download_url=reverse("audit:export_download", args=[job.pk])))
    # In the screen's order (a jsonb column does not keep the order keys were written in).
    params = {k: job.params[k] for k in AUDIT_PARAMS if job.params.get(k)}
    retry_url = reverse("audit:export", args=[job.params.get("view"), job.params.get("fmt")])
    return render(
        request,
        "training/audit/export_status.html",
        {
            "job": job,
            "tab": "",
            "year": job.params.get("year"),
            "retry_url": f"{retry_url}?{urlencode(params)}",
            "retention_days": settings.GENERATED_FILE_RETENTION_DAYS,
        },
    )


@login_required
def export_download(request, pk: int):
    """The built file; once the retention sweep removed it, back to the job's page, which
    says so and offers a new export."""
    job = get_object_or_404(
        AuditExport, pk=pk, requested_by=request.user, status__in=[JobStatus.DONE, JobStatus.EXPIRED]
    )
    if not job.has_file:
        messages.info(request, _("This export has expired and its file was deleted. Make a new one."))
        return redirect("audit:export_status", pk=job.pk)
    fmt = job.params.get("fmt", "xlsx")
    return FileResponse(
        job.absolute_path.open("rb"),
        as_attachment=True,
        filename=job.file_path,
        content_type=exports.CONTENT_TYPES[fmt],
    )


# --- Closing years ------------------------------------------------------------------------------


@login_required
def years(request):
    if not is_auditor(request.user):
        raise PermissionDenied
    context = {
        "tab": "years",
        "year": timezone.localdate().year,
        "rows": _year_rows(),
        "events": YearClosureEvent.objects.select_related("by__officer")[:50],
    }
    return render(request, "training/audit/years.html", context)


def _year_rows() -> list[tuple[int, YearClosure | None]]:
    closures = {c.year: c for c in YearClosure.objects.filter(is_closed=True)}
    return [(year, closures.get(year)) for year in selectors.available_years()]


def _closing_refusal(error: ValueError, year: int) -> str:
    if isinstance(error, closing.YearNotOverError):
        return _("The year %(year)s is not over: it can be closed from 1 January %(next)s.") % {
            "year": year,
            "next": year + 1,
        }
    return _("The year %(year)s has no requirements: there is nothing to close.") % {"year": year}


@require_http_methods(["GET", "POST"])
@login_required
def close_year(request, year: int):
    """GET: what closing ``year`` does, with its figures as they would be frozen, and the button.
    POST with ``confirm``: close it. A POST without it (an old form) is shown the page first."""
    if not is_auditor(request.user):
        raise PermissionDenied
    if closing.is_closed(year):
        messages.info(request, _("The year %(year)s is already closed.") % {"year": year})
        return redirect("audit:years")
    try:
        closing.check_closable(year=year)
    except (closing.YearNotOverError, closing.NothingToCloseError) as error:
        messages.error(request, _closing_refusal(error, year))
        return redirect("audit:years")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        closing.close_year(year=year, by=request.user)
        messages.success(request, _("The year %(year)s is closed: its figures are frozen.") % {"year": year})
        return redirect("audit:years")
    if request.method == "POST":
        return redirect("audit:close_year", year=year)
    year_source = source.AuditSource.for_year(year)
    context = {
        "tab": "years",
        "year": year,
        "headline": selectors.headline(year_source, request.user, None),
        "requirements": year_source.requirements,
    }
    return render(request, "training/audit/close_year.html", context)


@require_POST
@login_required
def reopen_year(request, year: int):
    if not is_auditor(request.user):
        raise PermissionDenied
    try:
        closing.reopen_year(year=year, by=request.user, reason=request.POST.get("reason", ""))
    except closing.YearNotClosedError:
        messages.error(request, _("The year %(year)s is not closed.") % {"year": year})
    except ValueError:
        messages.error(request, _("Give a reason to reopen a closed year."))
    else:
        messages.success(request, _("The year %(year)s is open again and computed live.") % {"year": year})
    return redirect("audit:years")


@login_required
def reminders(request):
    """A dry run: who would be written to by the next reminder."""
    if not is_auditor(request.user):
        raise PermissionDenied
    plan = reminder_plan(key=request.GET.get("key") or None)
    context = {
        "tab": "reminders",
        "plan": plan,
        "year": plan.year,
        "passed_targets": [(RequirementTarget(t).label, d) for t, d in plan.passed_targets.items()],
        "officer_page": Paginator(plan.officers, UNIT_PAGE_SIZE).get_page(request.GET.get("page")),
        "manager_page": Paginator(plan.managers, UNIT_PAGE_SIZE).get_page(request.GET.get("mpage")),
        "unreachable_page": Paginator(plan.unreachable, UNIT_PAGE_SIZE).get_page(request.GET.get("upage")),
        "by_channel": [(ContactChannel(c).label, n) for c, n in plan.by_channel().items()],
    }
    return render(request, "training/audit/reminders.html", context)
