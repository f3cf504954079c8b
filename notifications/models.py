"""Message rows: one per message the system sends, whatever the channel; and the providers'
tokens, stored encrypted."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import ContactChannel, Officer

Channel = ContactChannel  # one list of channels: the roster's preferred channel uses it too


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Account invitation")
    REMINDER = "reminder", _("Training reminder")
    MANAGER_SUMMARY = "manager_summary", _("Manager summary")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")
    CERTIFICATE_FAILED = "certificate_failed", _("Certificate could not be prepared")
    RESET_CODE = "reset_code", _("Password reset code")
    CLASS_NOTICE = "class_notice", _("Class notice")
    ASSIGNMENT = "assignment", _("Required training assigned")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One message to one recipient. Delivered at most once: a worker claims the row (queued →
    sending, one conditional UPDATE) before it calls the provider, and the provider gets
    ``idempotency_key`` where it accepts one (eSMS's RequestId, Zalo's tracking_id)."""

    kind = models.CharField(_("kind"), max_length=24, choices=MessageKind.choices)
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    # The channels still to try, in order, as [channel, address] pairs, should this one refuse
    # the message for good (an unknown Zalo user, an invalid phone).
    fallbacks = models.JSONField(default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    # Whether the layer retries temporary errors itself; a caller with its own retries (the
    # invitations' "send again") turns it off.
    retries = models.BooleanField(default=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    idempotency_key = models.CharField(max_length=40, unique=True)
    # Delivery reports find their message by it (eSMS's SMSID, Zalo's msg_id).
    provider_message_id = models.CharField(
        _("provider's message id"), max_length=100, blank=True, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address}"


class ProviderToken(models.Model):
    """A provider's OAuth tokens (Zalo's access and refresh tokens), encrypted with
    ``notifications.crypto``. Zalo's refresh token is single-use: each refresh stores the new pair."""

    provider = models.CharField(max_length=16, unique=True)
    access_token = models.TextField(blank=True)  # encrypted
    refresh_token = models.TextField(blank=True)  # encrypted
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.provider
