"""Import jobs: an uploaded file, its preview (dry run) and, once confirmed, the import.

Small files are checked and imported inside the request; bigger ones in a Celery task
(organizations.tasks) while the page polls the job's progress.
"""

import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from ..models import ImportJob, ImportStatus
from . import FileRefused, Scope, import_roster

DEFAULT_SYNC_BYTES = 256 * 1024
SHOWN_PROBLEMS = 1000

logger = logging.getLogger(__name__)


def upload_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "roster-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def runs_in_background(job: ImportJob) -> bool:
    return job.file_size > int(getattr(settings, "ROSTER_IMPORT_SYNC_BYTES", DEFAULT_SYNC_BYTES))


def create_job(*, user, upload, keep_file: bool = False) -> ImportJob:
    """Store the upload privately (never under MEDIA_ROOT) and record a queued job."""
    suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
    path = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return ImportJob.objects.create(
        uploaded_by=user,
        original_name=os.path.basename(upload.name)[:255],
        stored_path=str(path),
        file_size=upload.size,
        keep_file=keep_file,
    )


def _progress(job_id: int):
    def report(rows: int, phase: str = "reading", total: int | None = None) -> None:
        fields = {"processed_rows": rows, "phase": phase}
        if total is not None:
            fields["total_rows"] = total
        ImportJob.objects.filter(pk=job_id).update(**fields)

    return report


def _discard_file(job: ImportJob) -> None:
    if job.keep_file or not job.stored_path:
        return
    try:
        os.remove(job.stored_path)
    except FileNotFoundError:
        pass
    job.stored_path = ""


def _finish(job: ImportJob, status: str, *, result=None, message: str = "", discard: bool = True) -> None:
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    if result is not None:
        job.summary = result.summary
        job.errors = result.problems[:SHOWN_PROBLEMS]
        job.error_count = result.plan.problem_count
        job.processed_rows = result.plan.rows_read
    if discard:
        _discard_file(job)
    job.save()


def _run(job: ImportJob, *, dry_run: bool) -> ImportJob:
    scope = Scope.for_user(job.uploaded_by) if job.uploaded_by else Scope()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            result = import_roster(job.stored_path, scope=scope, dry_run=dry_run, progress=_progress(job.pk))
        except FileRefused as refused:
            _finish(job, ImportStatus.FAILED, message=str(refused))
            return job
        except FileNotFoundError:
            _finish(job, ImportStatus.FAILED, message=str(_gone_message()))
            return job
        except Exception:
            # Anything else is our fault, not the file's; the writing transaction (if it had
            # begun) was rolled back, so the uploader is told so and the job does not hang.
            logger.exception("Roster import job %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, message=_unexpected_message())
            return job
    if not result.ok:
        _finish(job, ImportStatus.INVALID, result=result)
    elif dry_run:
        _finish(job, ImportStatus.READY, result=result, discard=False)
    else:
        _finish(job, ImportStatus.DONE, result=result)
    return job


def _unexpected_message() -> str:
    from django.utils.translation import gettext

    return gettext(
        "The import stopped because of an unexpected error; nothing was written. "
        "Upload the file again; if it happens again, contact the administrator."
    )


def _gone_message() -> str:
    from django.utils.translation import gettext

    return gettext("The uploaded file is no longer available; upload it again.")


def check_job(job_id: int) -> ImportJob | None:
    """Preview a queued job (dry run). Idempotent: a job already checked is left alone."""
    updated = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.CHECKING, phase="reading"
    )
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or (not updated and job.status != ImportStatus.CHECKING):
        return job
    return _run(job, dry_run=True)


def start_import(job: ImportJob) -> bool:
    """Mark a previewed job as confirmed. False when it is not ready (e.g. confirmed twice)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
            status=ImportStatus.IMPORTING, phase="reading", processed_rows=0
        )
    )


def apply_job(job_id: int) -> ImportJob | None:
    """Import a confirmed job: validate again against today's roster, then write atomically.

    Idempotent: only a job in the importing state runs; a re-delivered task after a crash
    re-runs from the start (the transaction of the crashed run left nothing behind).
    """
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.IMPORTING:
        return job
    return _run(job, dry_run=False)
