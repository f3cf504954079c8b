"""A video document saved (uploaded, or its file replaced) gets its small copy made."""

from django.db.models.signals import post_save
from wagtail.documents import get_document_model


def _video_saved(sender, instance, **kwargs):
    from .videos import request_small_video

    request_small_video(instance)


def connect() -> None:
    post_save.connect(_video_saved, sender=get_document_model(), dispatch_uid="courses.small_video")
