from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Officer

__all__ = ["ReminderKind", "ReminderSent"]


class ReminderKind(models.TextChoices):
    OFFICER = "officer", _("Officer not yet trained")
    MANAGER = "manager", _("Unit manager summary")


class ReminderSent(models.Model):
    """One reminder e-mail sent. The unique key makes sending the same reminder twice impossible."""

    key = models.CharField(max_length=32)  # e.g. "2026-03" (monthly) or "2026-W50" (weekly in December)
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    email = models.EmailField()
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "kind", "email"], name="one_reminder_per_key_and_recipient"
            )
        ]
