"""Writes for certificates after they are issued: render and store the PDF, notify, the sweeps that
heal lost work, bulk ZIPs. Issuing, revoking and reissuing are in ``issuing``."""

import hashlib
import logging
import os
import re
import tempfile
import time
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import notifications
from core.jobs import expire_generated_files, resume_lost_generated_files
from core.tasks import enqueue
from notifications.models import MessageKind, MessageState
from organizations.models import Unit
from training.models import TrainingRecord

from . import openbadges, rendering
from .issuing import issue_certificate
from .models import BULK_EXPORT_DIR, BulkExport, Certificate

logger = logging.getLogger(__name__)
User = get_user_model()

CERTIFICATE_DIR = "certificates"
STALE_PART_SECONDS = 600
# A certificate still without a PDF this long after issue has lost its render task.
# A certificate still without a PDF this long after it was issued, while no task waits in the
# queue, lost its render task; one whose render failed for good is tried again this often.
STALE_RENDER_SECONDS = int(getattr(settings, "JOB_STALE_SECONDS", 60))
FAILED_RENDER_RETRY_SECONDS = 600


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def failed_retry_seconds() -> int:
    return int(getattr(settings, "CERTIFICATE_FAILED_RENDER_RETRY_SECONDS", FAILED_RENDER_RETRY_SECONDS))


def pdf_relative_path(certificate: Certificate) -> str:
    # Not derived from the verification code: the file name alone must not open the verify page.
    return f"{CERTIFICATE_DIR}/{certificate.year}/{certificate.pk:08d}-{certificate.file_key}.pdf"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _remove_stale_parts(final: Path) -> None:
    """Drop temp files left by a worker killed mid-write (older than a render could take)."""
    cutoff = time.time() - STALE_PART_SECONDS
    for part in final.parent.glob(f".{final.name}.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            pass


def render_and_store(certificate_id: int) -> Certificate:
    """Render the certificate's PDF once and record its path and SHA-256.

    Idempotent and safe against crashes and races: the PDF is written to a temp file,
    then hard-linked into place (which fails if the file exists, so it is never
    overwritten), and the row is updated only while it has no hash. A worker killed
    at any point leaves either nothing or the final file, which the next run adopts.
    """
    certificate = Certificate.objects.select_related("template", "officer").get(pk=certificate_id)
    if certificate.pdf_sha256:
        return certificate
    relative = pdf_relative_path(certificate)
    final = private_root() / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        _remove_stale_parts(final)
        # Signed once and kept, so racing renders embed the same credential the site serves.
        pdf = rendering.render_certificate(certificate, openbadges.ensure_signed(certificate))
        fd, temp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temp, final)  # atomic, and never replaces a file another worker linked first
            except FileExistsError:
                pass
        finally:
            temp.unlink(missing_ok=True)
    sha256 = _sha256_file(final)
    Certificate.objects.filter(pk=certificate.pk, pdf_sha256="").update(
        pdf_path=relative,
        pdf_sha256=sha256,
        rendered_at=timezone.now(),
        render_failed_at=None,
        render_error="",
    )
    certificate.refresh_from_db()
    return certificate


def record_render_failure(certificate_id: int, error: BaseException) -> bool:
    """Mark a certificate whose render task gave up after its last retry; True if it was marked.

    A certificate that has its PDF (say, only the e-mail failed) is left alone. The learner
    sees "could not be prepared", the register lists it, and the sweep tries it again.
    """
    message = f"{type(error).__name__}: {error}"[:2000]
    unrendered = Certificate.objects.filter(pk=certificate_id, pdf_sha256="")
    # Only the first failure of an outage is news: the sweep's later attempts re-mark it quietly.
    first = unrendered.filter(render_failed_at__isnull=True).update(
        render_failed_at=timezone.now(), render_error=message
    )
    updated = first or unrendered.update(render_failed_at=timezone.now(), render_error=message)
    if updated:
        logger.error("Rendering certificate %s failed after its last retry: %s", certificate_id, message)
    if first:
        tell_auditors_of_failed_render(certificate_id)
    return bool(updated)


def tell_auditors_of_failed_render(certificate_id: int) -> int:
    """E-mail the department's auditors that a certificate could not be rendered; returns how many.

    One message each through the notifications layer (which retries a mail server that is
    down). A failure is logged, not raised: the certificate is already marked failed, shown in
    the register, and the sweep keeps retrying it.
    """
    from organizations.scope import AUDITOR_GROUP

    recipients = sorted(
        set(
            User.objects.filter(is_active=True, groups__name=AUDITOR_GROUP)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return 0
    certificate = Certificate.objects.get(pk=certificate_id)
    link = settings.SITE_URL.rstrip("/") + reverse("certificates:manage", args=[certificate.pk])
    with translation.override("vi"):
        subject = _("Certificate %(number)s could not be prepared") % {"number": certificate.number_display}
        body = _(
            "The PDF of certificate %(number)s (%(name)s, “%(training)s”) could not be rendered after "
            "every retry.\n\nError: %(error)s\n\nThe system tries again every 10 minutes and the "
            "learner sees that it is not ready yet. Details:\n%(link)s\n"
        ) % {
            "number": certificate.number_display,
            "name": certificate.full_name,
            "training": certificate.training_title,
            "error": certificate.render_error,
            "link": link,
        }
    told = 0
    for address in recipients:
        try:
            notifications.send(
                MessageKind.CERTIFICATE_FAILED,
                address=address,
                subject=subject,
                body=body,
                params={"number": certificate.number_display, "url": link},
                deliver_now=True,
            )
            told += 1
        except Exception:
            logger.exception("Could not tell %s that certificate %s failed", address, certificate_id)
    return told


def issue_missing_certificates(*, limit: int = 500) -> int:
    """Issue the certificates of granting records left without one for ``STALE_RENDER_SECONDS``.

    A record's certificate is issued right after the record commits, or by a retried task if that
    fails; a worker killed while it held that task loses it (Redis would give it back only after
    its visibility timeout, hours later). Run by the every-minute sweep; ``issue_certificate`` is
    idempotent, so a record issued meanwhile is skipped. At most ``limit`` records a run.
    """
    stale = timezone.now() - timedelta(seconds=STALE_RENDER_SECONDS)
    records = (
        TrainingRecord.objects.filter(grants_certificate=True, voided_at__isnull=True, recorded_at__lt=stale)
        .exclude(Exists(Certificate.objects.filter(record=OuterRef("pk"))))
        .select_related("officer__unit", "in_person_class__organising_unit")
        .order_by("pk")[:limit]
    )
    issued = 0
    for record in records:
        certificate, created = issue_certificate(record=record)
        issued += bool(created)
    return issued


def render_missing_pdfs() -> int:
    """Queue a render for every certificate without a PDF that no task is expected to render.

    Run when a worker starts and every ``JOB_SWEEP_SECONDS`` (a minute) by beat. Two kinds:

    - those whose render task gave up (``render_failed_at``): one attempt each, at most every
      ``FAILED_RENDER_RETRY_SECONDS`` (a new failure marks it again at once, rather than starting
      another chain of retries every run), so a long outage heals by itself;
    - those left without a PDF for ``STALE_RENDER_SECONDS`` while no task waits in the queue: a
      render takes well under a second, so their task was lost with a worker killed while it held
      it (Redis would give it back only after its visibility timeout, hours later). They get the
      task's full retries.

    While tasks still wait in the queue, a certificate's own render may be among them, so the
    second kind waits for the queue to drain: a long batch of renders is not sent twice. Renders
    are idempotent, so a certificate queued twice is still rendered once.
    """
    from core.tasks import queue_is_empty

    from .tasks import render_certificate_pdf

    now = timezone.now()
    failed = list(
        Certificate.objects.filter(
            pdf_sha256="", render_failed_at__lt=now - timedelta(seconds=failed_retry_seconds())
        ).values_list("pk", flat=True)
    )
    lost = Certificate.objects.filter(
        pdf_sha256="",
        render_failed_at__isnull=True,
        created_at__lt=now - timedelta(seconds=STALE_RENDER_SECONDS),
    )
    lost = list(lost.values_list("pk", flat=True)) if lost.exists() and queue_is_empty() else []
    for pk in failed:
        render_certificate_pdf.apply_async((pk,), retries=render_certificate_pdf.max_retries)
    for pk in lost:
        render_certificate_pdf.delay(pk)
    if lost:
        logger.warning("Rendering %s certificate(s) again whose task was lost", len(lost))
    return len(failed) + len(lost)


def notify_learner(certificate_id: int) -> bool:
    """Tell the learner once that their certificate is ready, through the notifications layer
    (Zalo, SMS or e-mail as the officer is reached). Returns whether a message was handed over.

    No mail for a certificate revoked or replaced before its PDF was ready: "ready" would
    send the learner to a certificate that is no longer valid (a replacement gets its own
    mail). The send is claimed first by one conditional update of ``notified_at`` that also
    checks the certificate is still current and unrevoked, so two renders of one
    certificate (a re-queued task) mail only once. A failed send gives the claim back, so
    the task's retry can send it.
    """
    now = timezone.now()
    claimed = (
        Certificate.objects.filter(
            pk=certificate_id, notified_at__isnull=True, revoked_at__isnull=True, superseded_at__isnull=True
        )
        .exclude(pdf_sha256="")
        .update(notified_at=now)
    )
    if not claimed:
        return False
    certificate = Certificate.objects.select_related("officer__user").get(pk=certificate_id)
    link = settings.SITE_URL.rstrip("/") + reverse("certificates:mine")
    with translation.override("vi"):
        subject = _("Your certificate %(number)s is ready") % {"number": certificate.number_display}
        body = _(
            "Dear %(name)s,\n\nYour certificate for “%(training)s” (No. %(number)s) is ready. "
            "Download it here:\n%(link)s\n\nAnyone can check it at:\n%(verify)s\n"
        ) % {
            "name": certificate.full_name,
            "training": certificate.training_title,
            "number": certificate.number_display,
            "link": link,
            "verify": certificate.verification_url(),
        }
    try:
        # Once per certificate (the dedupe key), however often this runs; a provider that is down
        # is retried by the layer, so the claim above is kept.
        message = notifications.send(
            MessageKind.CERTIFICATE_READY,
            officer=certificate.officer,
            subject=subject,
            body=body,
            params={
                "name": certificate.full_name,
                "number": certificate.number_display,
                "training": certificate.training_title,
                "url": link,
            },
            dedupe_key=f"certificate-ready:{certificate.pk}",
            deliver_now=True,
        )
    except Exception:
        Certificate.objects.filter(pk=certificate_id, notified_at=now).update(notified_at=None)
        raise
    return message.state != MessageState.FAILED


def certificates_for_export(unit: Unit, year: int):
    """Current, rendered, unrevoked certificates of officers in ``unit``'s subtree issued in ``year``.

    Revoked certificates are left out: a ZIP is what a unit hands on or files, and a
    revoked PDF in it would read as valid. The register still lists them.
    """
    return (
        Certificate.objects.current()
        .filter(year=year, officer__unit__path__startswith=unit.path, revoked_at__isnull=True)
        .exclude(pdf_sha256="")
        .order_by("issuer_code", "number")
    )


# Characters that separate paths or are refused by common file systems (Windows above all).
_UNSAFE_IN_FILE_NAMES = re.compile(r'[/\\:*?"<>|]')
ZIP_NAME_PART_LIMIT = 80  # characters of a name in a member's file name (≤ 255 bytes in all)


def safe_file_name_part(text: str, limit: int = ZIP_NAME_PART_LIMIT) -> str:
    """``text`` as one file name component: letters (Vietnamese ones included) kept in NFC;
    path separators, characters Windows refuses, control and invisible formatting characters
    (such as a right-to-left override) turned into spaces; no ``..``; no leading or trailing
    dot or space; at most ``limit`` characters. May return ""."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char for char in text
    )  # C*: control, format, unassigned; Z*: every kind of space and line separator
    text = _UNSAFE_IN_FILE_NAMES.sub(" ", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r" +", " ", text).strip(" .")
    return text[:limit].rstrip(" .")


def zip_member_name(issuer_code: str, year: int, number: int, full_name: str, taken: set[str]) -> str:
    """``GCN-<issuer>-<year>-<number> <name>.pdf``, made safe, and unique among ``taken``
    (compared case-insensitively, as Windows and macOS do); records the name in ``taken``."""
    issuer = safe_file_name_part(issuer_code, 32) or "GCN"
    name = safe_file_name_part(full_name)
    stem = f"GCN-{issuer}-{year}-{number:05d}" + (f" {name}" if name else "")
    candidate, copy = f"{stem}.pdf", 1
    while candidate.casefold() in taken:
        copy += 1
        candidate = f"{stem} ({copy}).pdf"
    taken.add(candidate.casefold())
    return candidate


def request_bulk_export(*, user, unit: Unit, year: int) -> BulkExport:
    """Record a ZIP request and hand it to a worker (caller checks the user may see ``unit``)."""
    from .tasks import build_bulk_export

    export = BulkExport.objects.create(requested_by=user, unit=unit, year=year)
    enqueue(build_bulk_export, export.pk)
    return export


def build_bulk_export(export_id: int, progress_every: int = 25) -> BulkExport:
    """Build the ZIP, updating progress and a heartbeat as it goes.

    Idempotent and safe to receive twice: the build first claims the export (waiting, or
    building with a heartbeat older than ``JOB_STALE_SECONDS``: its worker died). A finished
    export, or one another worker is building, is left alone. A restarted build starts from the
    beginning, removes the part file of the dead one and writes the same ZIP name.
    """
    export = BulkExport.objects.select_related("unit").get(pk=export_id)
    if not BulkExport.claim(export.pk, done=0):
        export.refresh_from_db()
        return export
    for part in BulkExport.part_files(export.pk):
        part.unlink(missing_ok=True)
    certificates = list(
        certificates_for_export(export.unit, export.year).values_list(
            "pk", "issuer_code", "number", "year", "full_name", "pdf_path"
        )
    )
    BulkExport.objects.filter(pk=export.pk).update(total=len(certificates), done=0)
    relative = f"{BULK_EXPORT_DIR}/certificates-{export.pk:06d}.zip"
    final = private_root() / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    root = private_root()
    try:
        # PDFs are already compressed: store them, don't deflate them again.
        taken: set[str] = set()
        with (
            BulkExport.beating(export.pk),
            zipfile.ZipFile(temp_name, "w", compression=zipfile.ZIP_STORED) as archive,
        ):
            for index, (_pk, issuer, number, year, name, path) in enumerate(certificates, start=1):
                archive.write(root / path, arcname=zip_member_name(issuer, year, number, name, taken))
                if index % progress_every == 0:
                    BulkExport.mark_progress(export.pk, index * 100 / len(certificates), done=index)
        os.replace(temp_name, final)
    except BaseException as error:
        Path(temp_name).unlink(missing_ok=True)
        if not isinstance(error, Exception):
            raise  # the worker is stopping: the sweep restarts the build once its heartbeat is old
        # Waiting again, for the task's next retry; the error says an attempt failed. The task
        # marks the export failed only after its last retry (record_bulk_export_failure).
        BulkExport.wait_again(export.pk, f"{type(error).__name__}: {error}")
        raise
    BulkExport.finish(export.pk, relative, done=len(certificates))
    export.refresh_from_db()
    return export


def expire_bulk_exports(*, now=None) -> int:
    """Delete the ZIPs built before ``GENERATED_FILE_RETENTION_DAYS`` ago and mark them expired
    (their page then offers to build a new one); see ``core.jobs.expire_generated_files``.
    Idempotent. Returns how many ZIPs it expired."""
    return expire_generated_files(BulkExport, now=now)


def record_bulk_export_failure(export_id: int, error: BaseException) -> bool:
    """Mark a ZIP whose build task gave up after its last retry; True if it was marked.

    Its page then says it failed for good and offers to ask again; a ZIP already built is
    left alone."""
    message = f"{type(error).__name__}: {error}"[:2000]
    updated = BulkExport.fail(export_id, message)
    if updated:
        logger.error("Building certificate ZIP %s failed after its last retry: %s", export_id, message)
    return updated


def resume_lost_bulk_exports(*, now=None) -> dict:
    """Start again the ZIPs whose worker died (a beat task, every ``JOB_SWEEP_SECONDS``); see
    ``core.jobs.resume_lost_generated_files``. Idempotent."""
    from .tasks import build_bulk_export as build_task

    return resume_lost_generated_files(BulkExport, build_task=build_task, now=now)
