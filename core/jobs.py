"""Generated files: a job a worker builds in the background, whose result is one private file.

``GeneratedFile`` is the abstract model of such a job (a certificate ZIP, a large audit export):
one state machine, one heartbeat rule, one expiry sweep and one sweep for jobs whose worker died.
Each app's model adds what it needs to build its file (a unit and a year, the audit's
parameters) and says where its files live (``file_root``, ``files_folder``, ``PART_NAME``).

The state machine, every step a guarded update so two workers (or a worker and a sweep) never
both win::

    pending ──claim──► running ──finish──► done ──expire──► expired (file deleted)
       ▲                 │  │
       └──── restart ────┘  └──fail──► failed

A running job writes ``heartbeat_at`` every few seconds (``core.tasks.heartbeat``); one whose
heartbeat is older than ``JOB_STALE_SECONDS`` lost its worker, may be claimed again and is sent
again by ``resume_lost_generated_files``. A build writes into a part file (``.….part``) and
renames it into place, so a half-written file is never served; part files no live build owns
are deleted by the sweep.

The page of a job polls one JSON shape (``status_payload``) with one script
(``core/static/core/js/job-progress.js``). The roster import keeps its own, richer states (see
``organizations.models.ImportJob``) but answers its page's poller in the same shape.

Core knows no domain app: the sweeps take the model (and the task to send) as arguments.
"""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tasks import heartbeat, queue_is_empty, stale_before

logger = logging.getLogger(__name__)


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Generated files finished before this moment are past ``GENERATED_FILE_RETENTION_DAYS``."""
    return (now or timezone.now()) - timedelta(days=settings.GENERATED_FILE_RETENTION_DAYS)


class GeneratedFile(models.Model):
    """A background job that builds one private file for the user who asked for it."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    # Relative to the model's file_root(); empty until the file is built.
    file_path = models.CharField(max_length=255, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written every few seconds while a worker builds the file (core.tasks.heartbeat); a build
    # whose heartbeat stopped lost its worker and is started again (resume_lost_generated_files).
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    # A job waiting this long (since asked for, or last re-sent) while no task waits in the queue
    # lost its message; one asked for longer than GIVE_UP_AFTER ago is failed, not restarted for
    # ever (longer than every retry of a build task together).
    LOST_PENDING_AFTER = timedelta(minutes=10)
    GIVE_UP_AFTER = timedelta(minutes=30)
    # Per model: a status label worded for what it builds ({JobStatus.RUNNING: _("Building")}).
    STATUS_LABELS: dict = {}
    # Per model: fields reset when a lost build goes back to waiting.
    RESTART_FIELDS: dict = {}
    # Per model: a part file's name, its first group the job's id.
    PART_NAME = re.compile(r"^\.(\d+)-.*\.part$")

    class Meta:
        abstract = True

    # --- Where the files are -------------------------------------------------------------------

    @classmethod
    def file_root(cls) -> Path:
        """The folder ``file_path`` is relative to."""
        raise NotImplementedError

    @classmethod
    def files_folder(cls) -> Path:
        """The folder holding this model's files and part files (swept for leftovers)."""
        return cls.file_root()

    @property
    def absolute_path(self) -> Path | None:
        return self.file_root() / self.file_path if self.file_path else None

    @property
    def has_file(self) -> bool:
        path = self.absolute_path
        return self.status == JobStatus.DONE and path is not None and path.is_file()

    @classmethod
    def part_files(cls, pk: int | None = None) -> list[Path]:
        """Part files left by builds (of job ``pk`` only, when given)."""
        folder = cls.files_folder()
        if not folder.is_dir():
            return []
        found = []
        for path in folder.glob(".*.part"):
            match = cls.PART_NAME.match(path.name)
            if match and (pk is None or int(match.group(1)) == pk):
                found.append(path)
        return found

    # --- What the page shows ---------------------------------------------------------------------

    @property
    def status_label(self) -> str:
        return str(self.STATUS_LABELS.get(self.status) or JobStatus(self.status).label)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_retrying(self) -> bool:
        """An attempt failed and the worker is to try again (or already is)."""
        return bool(self.error) and self.is_active

    @property
    def is_stalled(self) -> bool:
        """Asked for long ago and still not built: its task was lost; the page offers to ask again."""
        return self.is_active and self.created_at < timezone.now() - self.GIVE_UP_AFTER

    # --- The state machine (guarded updates on the row; each returns whether it happened) -------

    @classmethod
    def claim(cls, pk: int, **fields) -> bool:
        """Take a job for building: waiting, or running with a stale heartbeat (its worker died).

        Of two workers claiming the same job, one wins; a job a live worker builds, or one
        already finished, is not claimed."""
        claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before())
        fields = {"progress": 0, **fields}
        return bool(
            cls.objects.filter(claimable, pk=pk).update(
                status=JobStatus.RUNNING, heartbeat_at=timezone.now(), **fields
            )
        )

    @classmethod
    def beating(cls, pk: int):
        """The heartbeat of a claimed build: ``with Model.beating(pk): …``."""
        return heartbeat(cls.objects.filter(pk=pk, status=JobStatus.RUNNING))

    @classmethod
    def mark_progress(cls, pk: int, percent: float, **fields) -> bool:
        """Record progress (clamped to 0–100) of a running build."""
        percent = max(0, min(100, int(percent)))
        return bool(cls.objects.filter(pk=pk, status=JobStatus.RUNNING).update(progress=percent, **fields))

    @classmethod
    def finish(cls, pk: int, file_path: str, **fields) -> bool:
        """The file is in place: the job is done and its download offered."""
        return bool(
            cls.objects.filter(pk=pk)
            .exclude(status=JobStatus.EXPIRED)
            .update(
                status=JobStatus.DONE,
                progress=100,
                file_path=file_path,
                error="",
                finished_at=timezone.now(),
                **fields,
            )
        )

    @classmethod
    def wait_again(cls, pk: int, error: str, **fields) -> bool:
        """An attempt failed and the task will retry: back to waiting, with the error shown."""
        return bool(
            cls.objects.filter(pk=pk, status__in=ACTIVE).update(
                status=JobStatus.PENDING, progress=0, error=error[:2000], **{**cls.RESTART_FIELDS, **fields}
            )
        )

    @classmethod
    def fail(cls, pk: int, error: str) -> bool:
        """Given up on: the page says so and offers to ask again. A built file is left alone."""
        return bool(
            cls.objects.filter(pk=pk)
            .exclude(status__in=[JobStatus.DONE, JobStatus.EXPIRED])
            .update(status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now())
        )

    def expire(self) -> bool:
        """Mark the job expired, then delete its file (the row first: a download started now is
        refused rather than served a deleted file)."""
        if (
            not type(self)
            .objects.filter(pk=self.pk)
            .exclude(status=JobStatus.EXPIRED)
            .update(status=JobStatus.EXPIRED)
        ):
            return False
        self.status = JobStatus.EXPIRED
        if self.absolute_path is not None:
            self.absolute_path.unlink(missing_ok=True)
        return True


def status_payload(
    *,
    status: str,
    label: str,
    progress: int,
    message: str = "",
    download_url: str = "",
    running: bool,
    **extra,
) -> dict:
    """The one JSON shape every job page's poller reads (``core/js/job-progress.js``).

    ``status`` and ``label`` (translated) say where the job is, ``progress`` 0–100, ``message``
    a short detail to show as it is (counts, an error for the user), ``download_url`` once the file
    is ready, ``running`` whether to keep polling. Extra keys are flags the page may show
    (``retrying``, ``stalled``): the script shows an element marked for a flag while it is true."""
    return {
        "status": status,
        "label": str(label),
        "progress": max(0, min(100, int(progress))),
        "message": str(message),
        "download_url": download_url,
        "running": running,
        **extra,
    }


def job_payload(job: GeneratedFile, *, download_url: str = "", message: str = "", **extra) -> dict:
    """``status_payload`` of a generated file."""
    return status_payload(
        status=job.status,
        label=job.status_label,
        progress=job.progress,
        message=message,
        download_url=download_url if job.status == JobStatus.DONE else "",
        running=job.is_active,
        **extra,
    )


def expire_generated_files(model: type[GeneratedFile], *, now: datetime | None = None) -> int:
    """Delete the files of ``model``'s jobs finished before the retention cutoff and mark them
    expired (their page then offers a new one); a job still waiting or running since before the
    cutoff has lost its task and is expired too. Files left in the model's folder older than the
    cutoff that no done job owns (a crashed build's part file, the file of a deleted account) go
    as well.

    Idempotent: a second run finds nothing to do. Returns how many jobs it expired."""
    cutoff = retention_cutoff(now)
    old = model.objects.filter(
        Q(status=JobStatus.DONE, finished_at__lt=cutoff) | Q(status__in=ACTIVE, created_at__lt=cutoff)
    )
    expired = sum(1 for job in old if job.expire())
    folder = model.files_folder()
    if folder.is_dir():
        root = model.file_root()
        kept = {
            root / path
            for path in model.objects.filter(status=JobStatus.DONE)
            .exclude(file_path="")
            .values_list("file_path", flat=True)
        }
        for path in folder.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if path.is_file() and path not in kept and path.stat().st_mtime < cutoff.timestamp():
                    path.unlink(missing_ok=True)
    return expired


def resume_lost_generated_files(
    model: type[GeneratedFile], *, build_task, now: datetime | None = None
) -> dict:
    """Start again ``model``'s jobs whose worker died (each app's beat task, every
    ``JOB_SWEEP_SECONDS``); ``build_task`` is the Celery task that builds one (given its id).

    - Running with a heartbeat older than ``JOB_STALE_SECONDS``: its worker was killed. It goes
      back to waiting and its task is sent again; the new build starts from the beginning.
    - Waiting for ``LOST_PENDING_AFTER`` while the queue is empty: its task was lost; sent again.
    - Either, asked for more than ``GIVE_UP_AFTER`` ago: failed (its page offers a new one).
    - Part files of builds no live worker is writing are deleted.

    Idempotent: each step is a guarded update; a build sent twice runs once (it claims the row).
    """
    now = now or timezone.now()
    stale = stale_before()
    lost = Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
    waiting = Q(status=JobStatus.PENDING, heartbeat_at__lt=now - model.LOST_PENDING_AFTER)
    if model.objects.filter(waiting).exists() and queue_is_empty():
        lost |= waiting
    counts = {"restarted": 0, "failed": 0, "parts": 0}
    name = model._meta.verbose_name
    for job in model.objects.filter(lost):
        guard = model.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at)
        if job.created_at < now - model.GIVE_UP_AFTER:
            message = "Its worker stopped and it was not finished within 30 minutes."
            if guard.update(status=JobStatus.FAILED, error=message, finished_at=now):
                logger.error("%s %s given up on: %s", name, job.pk, message)
                counts["failed"] += 1
        elif guard.update(status=JobStatus.PENDING, progress=0, heartbeat_at=now, **model.RESTART_FIELDS):
            logger.warning("%s %s lost its worker; building it again", name, job.pk)
            build_task.delay(job.pk)
            counts["restarted"] += 1
    live = set(
        model.objects.filter(status=JobStatus.RUNNING, heartbeat_at__gte=stale).values_list("pk", flat=True)
    )
    for part in model.part_files():
        job_id = int(model.PART_NAME.match(part.name).group(1))
        with contextlib.suppress(FileNotFoundError):
            if job_id not in live and part.stat().st_mtime < stale.timestamp():
                part.unlink(missing_ok=True)
                counts["parts"] += 1
    return counts
