"""The yearly requirement rules (Program 09 targets as data) and closed-year snapshots.

A ``Requirement`` is one target for one year; its ``RequirementRule`` rows say which
role at which kind of unit the target concerns. Closing a year copies the facts the
audit is computed from (who was required, who was trained, which units had to be
staffed and were) into snapshot tables, so later roster edits never move a closed year.
A closed year's requirements and their rules cannot be added, changed or deleted
(``YearClosedError``) until the year is reopened.
"""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from core.jobs import GeneratedFile, JobStatus
from organizations.models import Officer, Role, UnitLevel

__all__ = [
    "AuditExport",
    "ExportStatus",
    "Requirement",
    "RequirementRule",
    "RequirementTarget",
    "SnapshotAssignment",
    "SnapshotUnit",
    "YearClosure",
    "YearClosedError",
    "YearClosureEvent",
    "refuse_if_closed",
]


class YearClosedError(Exception):
    """The year is closed: reopen it first."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"The year {year} is closed: reopen it first.")


def refuse_if_closed(*years: int | None) -> None:
    """Raise ``YearClosedError`` if any of ``years`` is closed. One query."""
    wanted = {year for year in years if year is not None}
    if not wanted:
        return
    closed = YearClosure.objects.filter(year__in=wanted, is_closed=True).order_by("year")
    year = closed.values_list("year", flat=True).first()
    if year is not None:
        raise YearClosedError(year)


class RequirementTarget(models.TextChoices):
    STAFFING = "staffing", _("Staffing: a propagandist at every required unit")
    CORPS = "corps", _("Regular training of the communication corps")
    LARGE_GRASSROOTS = "large_grassroots", _("Yearly training at large grassroots unions")


class RequirementQuerySet(models.QuerySet):
    def delete(self):
        """Refuses (``YearClosedError``) if any row is in a closed year; checked before the
        delete's transaction starts, so the caller's transaction stays usable."""
        refuse_if_closed(*self.values_list("year", flat=True).distinct())
        return super().delete()


class RequirementRuleQuerySet(models.QuerySet):
    def delete(self):
        refuse_if_closed(*self.values_list("requirement__year", flat=True).distinct())
        return super().delete()


class Requirement(ClusterableModel):
    """One yearly target of the programme. Rules say whom (or which units) it concerns.

    For the staffing target a unit matching a rule must have someone holding the rule's
    role there; for the training targets everyone holding a rule's role at a matching
    unit must complete ``min_trainings`` qualifying trainings totalling ``min_hours``.
    """

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    target = models.CharField(_("target"), max_length=20, choices=RequirementTarget.choices)
    title = models.CharField(_("name of the target"), max_length=255, blank=True)
    min_trainings = models.PositiveSmallIntegerField(_("minimum number of qualifying trainings"), default=1)
    min_hours = models.DecimalField(_("minimum total hours"), max_digits=6, decimal_places=1, default=0)
    deadline = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("31/12 of the year if empty.")
    )
    notes = models.TextField(_("notes"), blank=True)
    # What satisfies it besides any qualifying training: the online courses are RequirementCourse
    # rows (training.models.assignments); the kinds of in-person class are named here.
    class_kinds = ParentalManyToManyField(
        "training.ClassKind",
        verbose_name=_("kinds of in-person class"),
        blank=True,
        related_name="requirements",
        help_text=_("Officers who cannot take the online courses attend a class of one of these kinds."),
    )

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["-year", "target"]
        constraints = [
            models.UniqueConstraint(fields=["year", "target"], name="one_requirement_per_year_target")
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.get_target_display()}"

    def save(self, *args, **kwargs):
        """Refuses (``YearClosedError``) to write into a closed year, or to move a requirement out of one."""
        previous = None
        if self.pk is not None:
            previous = Requirement.objects.filter(pk=self.pk).values_list("year", flat=True).first()
        refuse_if_closed(self.year, previous)
        if self.deadline is None:
            self.deadline = date(self.year, 12, 31)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_closed(self.year)  # before the delete's transaction: see RequirementQuerySet
        return super().delete(*args, **kwargs)

    def clean(self):
        """A deadline outside the year would silently count nobody (or nothing after 31/12), since
        only the year's records count."""
        errors = {}
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = _("Give a year between 2000 and 2100.")
        elif self.year is not None and self.deadline and self.deadline.year != self.year:
            errors["deadline"] = _("The deadline must fall within the year %(year)s (31/12 if empty).") % {
                "year": self.year
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_staffing(self) -> bool:
        return self.target == RequirementTarget.STAFFING

    @property
    def effective_deadline(self) -> date:
        return self.deadline or date(self.year, 12, 31)


class RequirementRule(models.Model):
    """A role at a kind of unit: ``unit_level`` empty means any level."""

    requirement = ParentalKey(Requirement, on_delete=models.CASCADE, related_name="rules")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit_level = models.CharField(
        _("unit level"),
        max_length=16,
        choices=UnitLevel.choices,
        blank=True,
        help_text=_("Empty: any level."),
    )
    min_workers = models.PositiveIntegerField(
        _("minimum number of workers"), default=0, help_text=_("0: any size. 1000 means 1,000 or more.")
    )

    objects = RequirementRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement rule")
        verbose_name_plural = _("requirement rules")
        ordering = ["id"]

    def __str__(self) -> str:
        level = self.get_unit_level_display() if self.unit_level else _("any level")
        return f"{self.get_role_display()} — {level} (≥ {self.min_workers})"

    def save(self, *args, **kwargs):
        """Refuses (``YearClosedError``) to change the rules of a closed year's requirement."""
        years = [self.requirement.year]
        if self.pk is not None:
            years += RequirementRule.objects.filter(pk=self.pk).values_list("requirement__year", flat=True)
        refuse_if_closed(*years)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_closed(self.requirement.year)
        return super().delete(*args, **kwargs)


@receiver(pre_delete, sender=Requirement)
@receiver(pre_delete, sender=RequirementRule)
def _refuse_deleting_a_closed_year(sender, instance, **kwargs) -> None:
    """The last line, for deletes that bypass ``delete()`` above (a cascade, a related manager).
    Raised inside the delete's transaction, it also breaks the caller's transaction: the
    explicit checks above come first so that ordinary callers never get there."""
    requirement = instance if sender is Requirement else instance.requirement
    refuse_if_closed(requirement.year)


class YearClosure(models.Model):
    """A year whose audit is frozen. ``is_closed`` false means it was reopened."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_closed = models.BooleanField(_("closed"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Headline figures of the whole tree when closed, for the trend chart.
    headline = models.JSONField(_("headline figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class YearClosureEvent(models.Model):
    """The log of closing and reopening years: who, when, why."""

    class Action(models.TextChoices):
        CLOSE = "close", pgettext_lazy("year", "Closed")
        REOPEN = "reopen", pgettext_lazy("year", "Reopened")

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("closing log entry")
        verbose_name_plural = _("closing log")
        ordering = ["-at", "-id"]


class SnapshotUnit(models.Model):
    """A unit as it stood when its year was closed, with its staffing verdict."""

    closure = models.ForeignKey(YearClosure, on_delete=models.CASCADE, related_name="units")
    unit_id = models.BigIntegerField()
    path = models.CharField(max_length=255)
    depth = models.PositiveIntegerField()
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=255)
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    worker_count = models.PositiveIntegerField(default=0)
    staffing_required = models.BooleanField(default=False)
    staffed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["closure", "path"], name="snapshot_unit_path")]


class SnapshotAssignment(models.Model):
    """One qualifying assignment of a training target as it stood when the year closed."""

    closure = models.ForeignKey(YearClosure, on_delete=models.CASCADE, related_name="assignments")
    target = models.CharField(max_length=20, choices=RequirementTarget.choices)
    # No database constraint: the snapshot must survive whatever happens to the roster.
    officer = models.ForeignKey(Officer, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    full_name = models.CharField(max_length=200)
    sort_key = models.CharField(max_length=600)
    officer_code = models.CharField(max_length=32, blank=True)
    unit_id = models.BigIntegerField()
    unit_path = models.CharField(max_length=255)
    role = models.CharField(max_length=32, choices=Role.choices)
    trained = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["closure", "target", "unit_path"], name="snapshot_assignment_path"),
        ]


# The shared states of generated files (core.jobs); the name is kept for the callers.
ExportStatus = JobStatus


class AuditExport(GeneratedFile):
    """A large audit export built by a Celery task; its file is private to whoever asked.

    Its state machine, heartbeat and sweeps are core.jobs.GeneratedFile's. The columns keep
    their names: ``requested_by`` is ``user_id``, ``file_path`` (a name in the export folder)
    is ``file_name``.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
        db_column="user_id",
    )
    params = models.JSONField(default=dict)
    file_path = models.CharField(max_length=255, blank=True, editable=False, db_column="file_name")

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def file_root(cls) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / "audit-exports"
