"""The small (≤ 360p) copy of an uploaded lesson video, made by a Celery task with ffmpeg."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SMALL_VIDEO_HEIGHT = 360


class SmallVideoState(models.TextChoices):
    PENDING = "pending", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SmallVideo(models.Model):
    """One per uploaded video document; remade when the document's file is replaced."""

    document = models.OneToOneField(
        "wagtaildocs.Document", verbose_name=_("video"), on_delete=models.CASCADE, related_name="small_video"
    )
    source_name = models.CharField(_("made from file"), max_length=255, blank=True)
    file = models.FileField(_("small version"), upload_to="videos/small/", blank=True)
    height = models.PositiveSmallIntegerField(_("height (px)"), null=True, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SmallVideoState.choices, default=SmallVideoState.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("small video")
        verbose_name_plural = _("small videos")

    def __str__(self) -> str:
        return f"{self.document} ({self.height or '?'}p)"

    @property
    def is_ready(self) -> bool:
        return self.state == SmallVideoState.DONE and bool(self.file)
