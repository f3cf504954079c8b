"""Account invitations. The table keeps its name, ``organizations_invitation``, from before the move."""

import re
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jobs import GeneratedFile, JobStatus
from organizations.models import Officer


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        from django.utils import timezone

        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mail inviting an imported officer to create their account. One live invitation per officer."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    key = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    # When the current link was issued (invited, renewed or re-sent): a resend within a short
    # interval is refused, so a double-click sends one e-mail.
    issued_at = models.DateTimeField(null=True, blank=True)
    # Set while one process sends the e-mail, so two never send the same invitation.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt to send failed (cleared once an e-mail goes out).
    send_error = models.CharField(_("sending error"), max_length=255, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        db_table = "organizations_invitation"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per officer: a resend renews it instead of adding another.
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_officer",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class ActivationCodeQuerySet(models.QuerySet):
    def open(self) -> "ActivationCodeQuerySet":
        """Codes that can still activate an account: not used, not superseded, not expired."""
        from django.utils import timezone

        return self.filter(used_at__isnull=True, superseded_at__isnull=True, expires_at__gt=timezone.now())

    def used(self) -> "ActivationCodeQuerySet":
        return self.filter(used_at__isnull=False)


class ActivationCode(models.Model):
    """A code that lets an officer without an account make one, with no e-mail: printed on an
    activation sheet or sent as a link. Only its hash is stored; the plain code is shown once.

    A used code is also the activation's log entry: who activated (``user``), when
    (``used_at``), at which unit (``unit``, the officer's home unit at that moment).
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A new sheet or link supersedes the officer's previous code: one open code each.
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(used_at__isnull=True, superseded_at__isnull=True),
                name="one_open_activation_code_per_officer",
            )
        ]
        indexes = [models.Index(fields=["used_at"])]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.created_at:%Y-%m-%d}"


class ActivationSheet(GeneratedFile):
    """A large unit's activation sheet, built by a worker (``accounts.tasks``): a sheet of
    hundreds of cards takes longer than a page should wait. The codes are made when the sheet is
    built (superseding earlier ones); the PDF is private to whoever asked and kept for
    ``GENERATED_FILE_RETENTION_DAYS``."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    subtree = models.BooleanField(default=False)
    officer_count = models.PositiveIntegerField(default=0)

    STATUS_LABELS = {JobStatus.RUNNING: _("Printing")}
    PART_NAME = re.compile(r"^\.(\d+)-.*\.part$")

    class Meta:
        verbose_name = _("activation sheet")
        verbose_name_plural = _("activation sheets")
        ordering = ["-created_at"]

    @classmethod
    def file_root(cls) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / "activation-sheets"


class PasswordResetCode(models.Model):
    """A code a unit manager (or an auditor) gave an officer who forgot their password and has no
    e-mail: single-use, valid ``accounts.reset_codes.VALID_FOR``, stored as a keyed hash only.

    Each row is also the record of who issued a code for whom and when, shown to the unit's managers.
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="reset_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # A newer code for the same officer replaces this one.
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password reset code")
        verbose_name_plural = _("password reset codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["officer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.officer} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def expires_at(self):
        from .reset_codes import VALID_FOR

        return self.created_at + VALID_FOR

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
