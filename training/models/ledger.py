from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organizations.models import Officer

__all__ = ["LedgerRewriteError", "RecordSource", "TrainingKind", "TrainingRecord", "TrainingRecordQuerySet"]

# The only fields of a saved record that may change: voiding it (once, with a reason).
VOID_FIELDS = frozenset({"voided_at", "voided_by", "void_reason"})
# A deleted course page or user account only unlinks its records (on_delete=SET_NULL).
UNLINKABLE_FIELDS = frozenset({"course", "recorded_by", "voided_by"})


class LedgerRewriteError(Exception):
    """A training record cannot be rewritten: void it with a reason and record a correction."""


DELETE_REFUSED = (
    "Training records are append-only: they cannot be deleted. "
    "Void the record with a reason and record a correction."
)


class TrainingKind(models.TextChoices):
    ONLINE_COURSE = "online_course", _("Online course")
    IN_PERSON_CLASS = "in_person_class", _("In-person class")


class RecordSource(models.TextChoices):
    ONLINE = "online", _("Online course passed")
    ATTENDANCE = "attendance", _("Attendance ticked by the organiser")
    UPLOAD = "upload", _("Attendance sheet upload")
    CHECK_IN = "check_in", _("Self check-in")
    MANUAL = "manual", _("Entered by hand")
    CORRECTION = "correction", _("Correction")


class TrainingRecordQuerySet(models.QuerySet):
    def valid(self) -> "TrainingRecordQuerySet":
        return self.filter(voided_at__isnull=True)

    def for_year(self, year: int) -> "TrainingRecordQuerySet":
        return self.filter(year=year)

    def qualifying(self) -> "TrainingRecordQuerySet":
        """Records that count toward the yearly requirement: not voided, counting trainings."""
        return self.valid().filter(counts_toward_requirement=True)

    def update(self, **kwargs) -> int:
        """Only voiding, or unlinking a deleted course page or user: the ledger is append-only.
        (``bulk_update`` and ``on_delete=SET_NULL`` come through here too.)"""
        for name, value in kwargs.items():
            field = self.model._meta.get_field(name)
            if field.name in VOID_FIELDS or (field.name in UNLINKABLE_FIELDS and value is None):
                continue
            raise LedgerRewriteError(
                f"Training records are append-only: {field.name} cannot be updated. "
                "Void the record with a reason and record a correction."
            )
        return super().update(**kwargs)

    def delete(self):
        """Never: the ledger is append-only (officers, classes and corrected records are
        protected too, so nothing cascades into it)."""
        raise LedgerRewriteError(DELETE_REFUSED)

    delete.alters_data = True
    delete.queryset_only = True


class TrainingRecord(models.Model):
    """One completed training of one officer: the ledger's only kind of row.

    Append-only: a record is never edited after the fact. A mistake is voided (with
    a reason) and, if needed, a correcting record is added that points at it.
    What the training was is copied in (title, hours, counts/grants flags) so later
    edits of the course or class never rewrite history.
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="training_records"
    )
    kind = models.CharField(_("kind of training"), max_length=20, choices=TrainingKind.choices)
    # An online course is a Wagtail page; referenced generically so this app never imports courses.
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("online course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_person_class = models.ForeignKey(
        "training.InPersonClass",
        verbose_name=_("in-person class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    title = models.CharField(_("training"), max_length=255)
    completed_on = models.DateField(_("date completed"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    counts_toward_requirement = models.BooleanField(_("counts toward the yearly requirement"), default=True)
    grants_certificate = models.BooleanField(_("grants a certificate"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=RecordSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on", "-id"]
        constraints = [
            # A course passed counts once per officer per year, however often the event is seen.
            models.UniqueConstraint(
                fields=["officer", "course", "year"],
                condition=Q(course__isnull=False, voided_at__isnull=True),
                name="one_valid_course_record_per_year",
            ),
            # Attending a class is one training, however many of its sessions were attended.
            models.UniqueConstraint(
                fields=["officer", "in_person_class"],
                condition=Q(in_person_class__isnull=False, voided_at__isnull=True),
                name="one_valid_class_record_per_officer",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "officer"], name="training_year_officer"),
            # The audit's "who is trained this year": read from this index alone (an index-only
            # scan of the year's slice, in officer order), never from the ledger's pages, which
            # hold every year side by side. SQLite builds it without the included columns.
            models.Index(
                fields=["year", "officer"],
                include=["completed_on", "hours"],
                condition=Q(voided_at__isnull=True, counts_toward_requirement=True),
                name="training_qualifying_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.title} ({self.completed_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.year = self.completed_on.year
        if not self._state.adding:
            self._refuse_rewrites(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def _refuse_rewrites(self, update_fields) -> None:
        """Raise ``LedgerRewriteError`` unless saving only voids a valid record.

        One query: the stored row, to see which fields this save would change.
        """
        fields = [f for f in self._meta.concrete_fields if not f.primary_key]
        if update_fields is not None:
            wanted = {self._meta.get_field(name).name for name in update_fields}
            fields = [f for f in fields if f.name in wanted]
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values("voided_at", *[f.attname for f in fields])
            .first()
        )
        if stored is None:
            return  # not in the database: this save inserts it
        changed = {f.name for f in fields if stored[f.attname] != getattr(self, f.attname)}
        rewritten = changed - VOID_FIELDS
        if rewritten:
            raise LedgerRewriteError(
                f"Training records are append-only: {', '.join(sorted(rewritten))} cannot be changed. "
                "Void the record with a reason and record a correction."
            )
        if changed and stored["voided_at"] is not None:
            raise LedgerRewriteError("This training record is already void; a void is final.")

    def delete(self, *args, **kwargs):
        raise LedgerRewriteError(DELETE_REFUSED)

    delete.alters_data = True

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


@receiver(pre_delete, sender=TrainingRecord, dispatch_uid="training_record_never_deleted")
def _refuse_cascaded_delete(sender, instance, **kwargs):
    """The last guard: a delete cascading from another model (through the deletion collector,
    which calls neither method above) is refused too. Having a listener also keeps the collector
    off its fast path, which would delete rows without sending this signal."""
    raise LedgerRewriteError(DELETE_REFUSED)
