"""The audit's generated export files: where they are kept and how long (the retention sweep).

(Closing a year lives in ``training.audit.close_year``, the requirement writes in
``training.audit.services``.)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from core import jobs

from .models import AuditExport


def export_folder() -> Path:
    """Where built audit exports are kept (private: served only to whoever asked)."""
    folder = AuditExport.file_root()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Generated files made before this moment are past ``GENERATED_FILE_RETENTION_DAYS``."""
    return jobs.retention_cutoff(now)


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of audit exports finished before the retention cutoff and mark them
    expired (their page then offers a new one); see ``core.jobs.expire_generated_files``.

    Idempotent: a second run finds nothing to do. Returns how many exports it expired."""
    return jobs.expire_generated_files(AuditExport, now=now)
