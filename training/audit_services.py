"""The audit's generated export files: where they are kept and how long (the retention sweep).

(Closing a year lives in ``training.audit.close_year``, the requirement writes in
``training.audit.services``.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import AuditExport, ExportStatus


def export_folder() -> Path:
    """Where built audit exports are kept (private: served only to whoever asked)."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "audit-exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Generated files made before this moment are past ``GENERATED_FILE_RETENTION_DAYS``."""
    return (now or timezone.now()) - timedelta(days=settings.GENERATED_FILE_RETENTION_DAYS)


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of audit exports finished before the retention cutoff and mark them
    expired (their page then offers a new one); a job still waiting or running since before
    the cutoff has lost its task and is expired too. Files left in the folder older than the
    cutoff (a crashed build's part file, the export of a deleted account) go as well.

    Idempotent: a second run finds nothing to do. Returns how many exports it expired."""
    cutoff = retention_cutoff(now)
    old = AuditExport.objects.filter(
        Q(status=ExportStatus.DONE, finished_at__lt=cutoff)
        | Q(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING], created_at__lt=cutoff)
    )
    ids = list(old.values_list("pk", flat=True))
    # The row first: a download started now is refused rather than served a deleted file.
    expired = AuditExport.objects.filter(pk__in=ids).update(status=ExportStatus.EXPIRED)
    folder = export_folder()
    names = AuditExport.objects.filter(pk__in=ids).exclude(file_name="").values_list("file_name", flat=True)
    for name in names:
        (folder / name).unlink(missing_ok=True)
    kept = set(AuditExport.objects.filter(status=ExportStatus.DONE).values_list("file_name", flat=True))
    for path in folder.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
    return expired
