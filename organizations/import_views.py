"""Roster import pages: upload, preview (dry run) with progress, confirm, blank template."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.jobs import status_payload

from .importing import files, jobs
from .importing.template import blank_template
from .models import ImportJob, ImportStatus
from .scope import is_auditor
from .tasks import apply_roster_import, check_roster_import
from .views import _require_roster_access


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or UTF-8 .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"empty": gettext_lazy("The file is empty.")},
    )
    close_missing = forms.BooleanField(
        label=gettext_lazy("Close the roles of officers who are not in the file"),
        help_text=gettext_lazy(
            "At each unit named in the officer rows, officers who are left out of the file have their "
            "open roles closed with today's date as end date (kept as history, never deleted). "
            "The unit-manager role is never closed this way. The preview lists them before you confirm."
        ),
        required=False,
    )
    keep_file = forms.BooleanField(
        label=gettext_lazy("Keep the uploaded file after the import"), required=False
    )

    def __init__(self, *args, refused_size=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_size = refused_size
        if refused_size:  # the upload handler dropped the file: say why, not "required"
            self.fields["file"].required = False

    def clean_file(self):
        if self.refused_size:
            raise forms.ValidationError(files.too_large_message(self.refused_size))
        upload = self.cleaned_data["file"]
        if upload.size > files.max_bytes():
            raise forms.ValidationError(files.too_large_message(upload.size))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


def _job_for(user, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not (job.uploaded_by_id == user.pk or is_auditor(user)):
        raise Http404
    return job


@csrf_exempt  # only to add the upload handler before the body is read; checked just below
@login_required
def import_upload(request):
    # CsrfViewMiddleware reads the body for the token, storing the whole upload before the size
    # is looked at; this handler must be in place before that, so the CSRF check is made by
    # csrf_protect on the view below, once the handler is set (Django's documented pattern).
    size_limit = files.SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, size_limit)
    return _import_upload(request, size_limit)


@csrf_protect
def _import_upload(request, size_limit):
    _require_roster_access(request.user)
    auditor = is_auditor(request.user)
    # Bound on any POST: a dropped file may leave both empty. Reading them runs the handlers.
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = UploadForm(*bound, refused_size=size_limit.refused_size)
    if not auditor:
        del form.fields["keep_file"]
    if request.method == "POST" and form.is_valid():
        job = jobs.create_job(
            user=request.user,
            upload=form.cleaned_data["file"],
            keep_file=auditor and form.cleaned_data.get("keep_file", False),
            close_missing=form.cleaned_data.get("close_missing", False),
        )
        if jobs.runs_in_background(job):
            from core.tasks import enqueue

            enqueue(check_roster_import, job.pk)
            return redirect("organizations:import_detail", pk=job.pk)
        job = jobs.check_job(job.pk)
        if job.status != ImportStatus.FAILED:
            return redirect("organizations:import_detail", pk=job.pk)
        # A file that cannot be read at all: say so on the form, to pick another file.
        form.add_error("file", job.message)
    recent = ImportJob.objects.filter(uploaded_by=request.user)[:10]
    return render(request, "organizations/import/upload.html", {"form": form, "recent": recent})


@login_required
def import_detail(request, pk: int):
    _require_roster_access(request.user)
    job = _job_for(request.user, pk)
    return render(request, "organizations/import/detail.html", {"job": job, "summary": job.summary})


@login_required
def import_status(request, pk: int):
    _require_roster_access(request.user)
    job = _job_for(request.user, pk)
    # The job poller's shape (core.jobs.status_payload); the import keeps its own states.
    return JsonResponse(
        status_payload(
            status=job.status,
            label=job.get_status_display(),
            progress=job.percent,
            message=job.message,
            running=job.is_running,
            phase=job.phase,
            processed_rows=job.processed_rows,
            total_rows=job.total_rows,
        )
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_roster_access(request.user)
    job = _job_for(request.user, pk)
    if job.uploaded_by_id != request.user.pk:
        raise Http404
    if jobs.start_import(job):
        if jobs.runs_in_background(job):
            from core.tasks import enqueue

            enqueue(apply_roster_import, job.pk)
        else:
            jobs.apply_job(job.pk)
    return redirect("organizations:import_detail", pk=job.pk)


@login_required
def import_template(request):
    _require_roster_access(request.user)
    response = HttpResponse(
        blank_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-can-bo.xlsx"'
    return response
