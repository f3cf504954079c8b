"""Small copies of uploaded lesson videos for phones: made with Debian's ffmpeg by a Celery task.

A phone on a slow link plays the ≤ 360p copy first; the lesson shows both sizes.
"""

import json
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from wagtail.documents import get_document_model

from core.tasks import enqueue

from .models import SMALL_VIDEO_HEIGHT, SmallVideo, SmallVideoState
from .models.blocks import VIDEO_EXTENSIONS

FFMPEG_TIMEOUT_SECONDS = 30 * 60
ERROR_TAIL = 2000


class VideoUnusable(Exception):
    """ffmpeg could not read or convert the file: retrying will not help."""


def is_video(document) -> bool:
    return document.file_extension.lower() in VIDEO_EXTENSIONS


def probe_height(path: Path) -> int:
    """The height in pixels of the first video stream (ffprobe)."""
    result = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=height",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return int(json.loads(result.stdout)["streams"][0]["height"])


def _convert(source: Path, target: Path) -> None:
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
        # At most 360 px high (never enlarged), the width even as H.264 needs, the ratio kept.
        "-vf", f"scale=-2:'min({SMALL_VIDEO_HEIGHT},ih)'",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1",
        "-movflags", "+faststart",  # playable while it downloads
        str(target),
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, check=True, timeout=FFMPEG_TIMEOUT_SECONDS)
    except subprocess.CalledProcessError as error:
        raise VideoUnusable(error.stderr.decode(errors="replace")[-ERROR_TAIL:] or str(error)) from None


def make_small_video(*, document_id: int) -> SmallVideo | None:
    """Make (or keep) the small copy of a video document. Idempotent: a copy made from the
    document's current file is kept as is; a replaced file is converted again and the old copy
    deleted. Returns None for a document that is gone or not a video. Raises ``VideoUnusable``
    when ffmpeg cannot convert the file, other errors (storage, a killed ffmpeg) for a retry."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not is_video(document):
        return None
    small, _created = SmallVideo.objects.get_or_create(document=document)
    if small.is_ready and small.source_name == document.file.name:
        return small
    with tempfile.TemporaryDirectory(prefix="small-video-") as folder:
        source = Path(folder) / f"source.{document.file_extension.lower()}"
        target = Path(folder) / f"{document.pk}-{SMALL_VIDEO_HEIGHT}p.mp4"
        with document.file.open("rb") as stored, source.open("wb") as copy:
            for chunk in stored.chunks():
                copy.write(chunk)
        _convert(source, target)
        height = probe_height(target)
        old_name = small.file.name
        with target.open("rb") as made:
            small.file.save(target.name, File(made), save=False)
    small.height = height
    small.file_size = small.file.size
    small.source_name = document.file.name
    small.state = SmallVideoState.DONE
    small.error = ""
    small.save()
    if old_name and old_name != small.file.name:
        small.file.storage.delete(old_name)
    return small


def mark_failed(*, document_id: int, error: str) -> None:
    """Record why no small copy could be made; the lesson keeps offering the original only."""
    SmallVideo.objects.filter(document_id=document_id).update(
        state=SmallVideoState.FAILED, error=error[-ERROR_TAIL:]
    )


def request_small_video(document) -> None:
    """After a video document is saved (uploaded or its file replaced), make its small copy."""
    from .tasks import make_small_video as task

    if not is_video(document):
        return
    small = SmallVideo.objects.filter(document=document).first()
    if small is not None and small.is_ready and small.source_name == document.file.name:
        return  # only the title or collection changed
    SmallVideo.objects.update_or_create(
        document=document, defaults={"state": SmallVideoState.PENDING, "error": ""}
    )
    enqueue(task, document.pk)
