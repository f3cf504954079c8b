"""Import jobs: an uploaded file, its preview (dry run) and, once confirmed, the import.

Small files are checked and imported inside the request; bigger ones in a Celery task
(organizations.tasks) while the page polls the job's progress.
"""

import logging
import os
import uuid
from datetime import timedelta
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


def create_job(*, user, upload, keep_file: bool = False, close_missing: bool = False) -> ImportJob:
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
        close_missing=close_missing,
    )


RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)


class Abandoned(Exception):
    """The job is no longer running (the sweeper gave up on it); stop and write nothing."""


def _progress(job_id: int):
    def report(rows: int, phase: str = "reading", total: int | None = None) -> None:
        fields = {"processed_rows": rows, "phase": phase, "last_progress_at": timezone.now()}
        if total is not None:
            fields["total_rows"] = total
        if not ImportJob.objects.filter(pk=job_id, status__in=RUNNING).update(**fields):
            raise Abandoned

    return report


def _discard_file(job: ImportJob) -> None:
    if job.keep_file or not job.stored_path:
        return
    try:
        os.remove(job.stored_path)
    except FileNotFoundError:
        pass
    job.stored_path = ""
    ImportJob.objects.filter(pk=job.pk).update(stored_path="")


def _outcome(status: str, *, result=None, message: str = "") -> dict:
    now = timezone.now()
    fields = {"status": status, "message": message, "finished_at": now, "last_progress_at": now}
    if result is not None:
        fields.update(
            summary=result.summary,
            errors=result.problems[:SHOWN_PROBLEMS],
            error_count=result.plan.problem_count,
            processed_rows=result.plan.rows_read,
        )
    return fields


def _finish(job: ImportJob, status: str, *, result=None, message: str = "", discard: bool = True) -> None:
    """Record the outcome, unless the job stopped running meanwhile (then leave that outcome)."""
    fields = _outcome(status, result=result, message=message)
    if ImportJob.objects.filter(pk=job.pk, status__in=RUNNING).update(**fields):
        for name, value in fields.items():
            setattr(job, name, value)
        if discard:
            _discard_file(job)
    else:
        job.refresh_from_db()


def _mark_done(job: ImportJob):
    """Called inside the writing transaction: the job is DONE exactly when the data is written.

    So a job still "importing" after a crash wrote nothing, and the sweeper may say so. If the
    sweeper has already failed the job, the writes are rolled back to keep that message true.
    """

    def mark(result) -> None:
        fields = _outcome(ImportStatus.DONE, result=result)
        if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(**fields):
            raise Abandoned
        for name, value in fields.items():
            setattr(job, name, value)

    return mark


def _run(job: ImportJob, *, dry_run: bool) -> ImportJob:
    from core.tasks import heartbeat

    scope = Scope.for_user(job.uploaded_by) if job.uploaded_by else Scope()
    # last_progress_at is the job's heartbeat: moved every few seconds while it runs, so the
    # sweep can tell a long import from one whose worker died.
    beating = ImportJob.objects.filter(pk=job.pk, status__in=RUNNING)
    with translation.override(settings.LANGUAGE_CODE), heartbeat(beating, field="last_progress_at"):
        try:
            result = import_roster(
                job.stored_path,
                scope=scope,
                dry_run=dry_run,
                close_missing=job.close_missing,
                progress=_progress(job.pk),
                on_written=None if dry_run else _mark_done(job),
            )
        except Abandoned:
            job.refresh_from_db()
            return job
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
    if result.written:
        _discard_file(job)  # already DONE, in the same transaction as the data
    elif not result.ok:
        _finish(job, ImportStatus.INVALID, result=result)
    elif dry_run:
        _finish(job, ImportStatus.READY, result=result, discard=False)
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
        status=ImportStatus.CHECKING, phase="reading", last_progress_at=timezone.now()
    )
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or (not updated and job.status != ImportStatus.CHECKING):
        return job
    return _run(job, dry_run=True)


def start_import(job: ImportJob) -> bool:
    """Mark a previewed job as confirmed. False when it is not ready (e.g. confirmed twice)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
            status=ImportStatus.IMPORTING, phase="reading", processed_rows=0, last_progress_at=timezone.now()
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


DEFAULT_STALLED_MINUTES = 30
DEFAULT_PREVIEW_HOURS = 24


def stalled_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "ROSTER_IMPORT_STALLED_MINUTES", DEFAULT_STALLED_MINUTES)))


def preview_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "ROSTER_IMPORT_PREVIEW_HOURS", DEFAULT_PREVIEW_HOURS)))


def sweep_jobs(*, now=None) -> dict:
    """Periodic clean-up (a Celery beat task, every ``JOB_SWEEP_SECONDS``). Idempotent; each step
    is a guarded update.

    - A job checking or importing whose heartbeat (``last_progress_at``) is older than
      ``JOB_STALE_SECONDS`` lost its worker: its task is sent again. A check starts over; an import
      starts over too (its data and its "done" commit in one transaction, so the dead run wrote
      nothing; a second delivery finds the job done and writes nothing). A job waiting with no
      task in the queue is sent again as well.
    - A job with no progress for ``ROSTER_IMPORT_STALLED_MINUTES``, or restarted in vain for that
      long since it was uploaded, is marked failed; nothing of it was written.
    - A preview never confirmed within ``ROSTER_IMPORT_PREVIEW_HOURS`` expires and its uploaded file
      is deleted (unless an auditor asked to keep it).
    - Files in the upload folder that no job refers to and older than that are deleted.
    """
    now = now or timezone.now()
    counts = {"stalled": 0, "restarted": 0, "expired": 0, "orphans": 0}
    _heal_lost_jobs(now, counts)
    preview_before = now - preview_lifetime()
    _expire_previews(now, preview_before, counts)
    _delete_orphan_uploads(preview_before, counts)
    return counts


def _heal_lost_jobs(now, counts: dict) -> None:
    """Send again a running job whose heartbeat stopped; fail one that stalled for good."""
    from core.tasks import queue_is_empty, stale_before

    from ..tasks import apply_roster_import, check_roster_import

    with translation.override(settings.LANGUAGE_CODE):
        interrupted = translation.gettext(
            "The import was interrupted (the server stopped while working on it); nothing was written. "
            "Upload the file again."
        )
    stalled_before = now - stalled_after()
    stale = min(stale_before(), now)
    for job in ImportJob.objects.filter(status__in=RUNNING, last_progress_at__lt=stale):
        guard = ImportJob.objects.filter(pk=job.pk, status=job.status, last_progress_at=job.last_progress_at)
        if job.last_progress_at < stalled_before or job.created_at < stalled_before:
            if guard.update(**{**_outcome(ImportStatus.FAILED, message=interrupted), "phase": ""}):
                logger.warning("Roster import job %s stalled while %s; marked failed", job.pk, job.status)
                _discard_file(job)
                counts["stalled"] += 1
        elif job.status == ImportStatus.IMPORTING:
            if guard.update(last_progress_at=now):
                logger.warning("Roster import job %s lost its worker; importing it again", job.pk)
                apply_roster_import.delay(job.pk)
                counts["restarted"] += 1
        elif job.status == ImportStatus.CHECKING or queue_is_empty():
            if guard.update(status=ImportStatus.QUEUED, last_progress_at=now):
                logger.warning("Roster import job %s lost its worker; checking it again", job.pk)
                check_roster_import.delay(job.pk)
                counts["restarted"] += 1


def _expire_previews(now, preview_before, counts: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        expired = translation.gettext(
            "This preview was not confirmed in time, so the uploaded file was deleted. "
            "Upload the file again to import it."
        )
    for job in ImportJob.objects.filter(status=ImportStatus.READY, finished_at__lt=preview_before):
        guard = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY)
        if guard.update(status=ImportStatus.EXPIRED, message=expired, last_progress_at=now):
            _discard_file(job)
            counts["expired"] += 1


def _delete_orphan_uploads(preview_before, counts: dict) -> None:
    known = set(ImportJob.objects.exclude(stored_path="").values_list("stored_path", flat=True))
    for path in upload_dir().iterdir():
        try:
            old = path.stat().st_mtime < preview_before.timestamp()
            if path.is_file() and old and str(path) not in known:
                path.unlink()
                counts["orphans"] += 1
        except FileNotFoundError:
            continue
