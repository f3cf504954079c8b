"""Invitations to in-person classes, and the background batches that send many at once.

An officer is invited once per class (``ClassInvitation``); they accept or decline by a signed
single-use link or on /learn/. Acceptances beyond the class's capacity wait in line
(``waitlisted_at``), promoted in that order when a place frees up
(``training.classes.invitations``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import JobStatus
from organizations.models import Officer

from .classes import InPersonClass

__all__ = ["OPEN_STATES", "ClassInvitation", "InvitationBatch", "InvitationState", "new_link_nonce"]


def new_link_nonce() -> str:
    return secrets.token_hex(16)


class InvitationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined")
    REMOVED = "removed", _("Removed")


# States in which an officer still expects to come (overlap warnings look at these).
OPEN_STATES = (InvitationState.INVITED, InvitationState.ACCEPTED, InvitationState.WAITLISTED)


class ClassInvitation(models.Model):
    """One officer invited to one class, and their answer."""

    in_person_class = models.ForeignKey(
        InPersonClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="invitations"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="class_invitations"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=InvitationState.choices, default=InvitationState.INVITED
    )
    # The line of the waiting list: promoted oldest first (then by id).
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The answer link is single-use: set when it was used (the link signs the id and this nonce).
    link_nonce = models.CharField(max_length=32, default=new_link_nonce, editable=False)
    link_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Every announced change bumps it: the message's dedupe key, so one change is told once.
    version = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("class invitation")
        verbose_name_plural = _("class invitations")
        ordering = ["in_person_class", "officer__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_person_class", "officer"], name="one_invitation_per_class_officer"
            )
        ]
        indexes = [
            models.Index(fields=["in_person_class", "state", "waitlisted_at"], name="invitation_class_state"),
            models.Index(fields=["officer", "state"], name="invitation_officer_state"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.in_person_class}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class InvitationBatch(models.Model):
    """Many invitations sent by a worker (more than a request should do), with its progress.

    Answers the job pages' poller in ``core.jobs.status_payload``'s shape; it makes no file, so
    it keeps its own few fields rather than ``GeneratedFile``'s."""

    in_person_class = models.ForeignKey(
        InPersonClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    officer_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)

    @property
    def total(self) -> int:
        return len(self.officer_ids)
