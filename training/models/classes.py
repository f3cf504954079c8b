"""In-person classes (lớp tập huấn) and their sessions.

Attendance is not a model of its own: every officer who attended a class is one
``TrainingRecord`` of kind IN_PERSON_CLASS pointing at the class (see ledger.py),
so the requirement, the audit and certificates read attendance from the ledger.
"""

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Unit

__all__ = ["ClassSession", "InPersonClass", "InPersonClassQuerySet", "new_check_in_token"]

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def new_check_in_token() -> str:
    """An unguessable token for a session's check-in URL (192 bits)."""
    return secrets.token_urlsafe(24)


class InPersonClassQuerySet(models.QuerySet):
    def organised_within(self, user) -> "InPersonClassQuerySet":
        """Classes the user may organise: by a unit in their scope (auditors: all)."""
        from organizations.scope import scope_filter

        return self.filter(scope_filter(user, "organising_unit__path"))


class InPersonClass(models.Model):
    """A class held in person; attending it is a training like an online course."""

    title = models.CharField(pgettext_lazy("in-person class", "title"), max_length=255)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    kind = models.ForeignKey(
        "training.ClassKind",
        verbose_name=_("kind of class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classes",
    )
    organising_unit = models.ForeignKey(
        Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="classes"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0, message=_("Hours cannot be negative."))],
    )
    # How many may accept; beyond it acceptances wait in line (None: no limit).
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    counts_toward_requirement = models.BooleanField(_("counts toward the yearly requirement"), default=True)
    grants_certificate = models.BooleanField(_("grants a certificate"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InPersonClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("in-person class")
        verbose_name_plural = _("in-person classes")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="class_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The class cannot end before it starts.")})
        if self.pk and self.capacity is not None:
            # Places already given stay given: the capacity cannot drop below them.
            accepted = self.invitations.filter(state="accepted").count()
            if self.capacity < accepted:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(accepted)s officer(s) have already accepted: the capacity cannot be lower."
                        )
                        % {"accepted": accepted}
                    }
                )

    def has_started(self, today: date) -> bool:
        """Attendance can be recorded from the first day (Hanoi date), never ahead of it."""
        return today >= self.start_date


class ClassSession(models.Model):
    """One sitting of a class; officers check themselves in while it runs."""

    in_person_class = models.ForeignKey(
        InPersonClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    check_in_token = models.CharField(max_length=64, unique=True, default=new_check_in_token, editable=False)

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.in_person_class} — {self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The session must end after it starts.")})

    # Session times are Hanoi wall-clock times, whatever the server's clock says.
    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=LOCAL_TZ)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=LOCAL_TZ)

    def is_running(self, now: datetime) -> bool:
        return self.starts_at <= now <= self.ends_at

    def has_ended(self, now: datetime) -> bool:
        return now > self.ends_at
