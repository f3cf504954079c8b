from datetime import date

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.phones import InvalidPhone, PhoneFormField, display_phone, normalise_phone
from core.vietnamese.names import full_name, name_sort_key

from .search import OFFICER_SEARCH_NAME_LENGTH, UNIT_SEARCH_NAME_LENGTH, officer_search_name, unit_search_name


class UnitLevel(models.TextChoices):
    CITY = "city", _("City federation")
    UPPER = "upper", _("Direct upper-level union")
    GRASSROOTS = "grassroots", _("Grassroots union")


class UpperKind(models.TextChoices):
    DISTRICT = "district", _("District federation")
    INDUSTRY = "industry", _("Industry union")
    INDUSTRIAL_ZONE = "industrial_zone", _("Industrial-zone union")
    CORPORATION = "corporation", _("Corporation union")


UNIT_CODE_MAX_LENGTH = 20
UNIT_CODE_PATTERN = rf"\A[A-Z0-9-]{{1,{UNIT_CODE_MAX_LENGTH}}}\Z"
# A unit code goes into URLs, file names and CSV cells: capital letters A–Z, digits and dashes only.
validate_unit_code = RegexValidator(
    UNIT_CODE_PATTERN,
    _("A unit code holds 1 to 20 characters: capital letters A–Z without accents, digits and dashes (-)."),
    code="unit_code",
)


def normalize_unit_code(value) -> str:
    """A typed unit code as stored: surrounding spaces dropped, letters in capitals."""
    return str(value or "").strip().upper()


# Columns a write keeps up to date for the system's own use; changing only these is no change a
# reader of the roster would notice, so it does not move ``updated_at``.
BOOKKEEPING_FIELDS = frozenset({"numchild", "search_name", "sort_key"})


class ChangeTrackedQuerySet(models.QuerySet):
    """``update()`` (and so ``bulk_update``, which goes through it) moves ``updated_at`` to now,
    unless the caller names it or writes only bookkeeping columns: ``auto_now`` alone is skipped
    by both, and the API's ``changed_since`` must not miss a change."""

    def update(self, **kwargs) -> int:
        if "updated_at" not in kwargs and set(kwargs) - BOOKKEEPING_FIELDS:
            kwargs["updated_at"] = timezone.now()
        return super().update(**kwargs)


class ChangeTracked(models.Model):
    """When the row last changed (the API's ``changed_since``). ``auto_now`` sets it on save;
    ``save(update_fields=…)`` writes it too; the query sets above cover ``update()``."""

    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class UnitQuerySet(ChangeTrackedQuerySet, MP_NodeQuerySet):
    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=unit.path)

    def existing_in_year(self, year: int) -> "UnitQuerySet":
        """Units that existed for at least part of the year (dissolved during it counts)."""
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=date(year, 1, 1)))


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        # treebeard's manager hands out its own query set class; ours adds to it.
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(ChangeTracked, MP_Node):
    """A union in the tree: the city federation, an upper-level union or a grassroots union."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_unit_code])
    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=UpperKind.choices,
        blank=True,
        help_text=_("Only for direct upper-level unions."),
    )
    worker_count = models.PositiveIntegerField(_("number of workers"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The name folded for searching (organizations.search); set on save and by bulk writes.
    search_name = models.CharField(
        max_length=UNIT_SEARCH_NAME_LENGTH, editable=False, db_index=True, default=""
    )

    node_order_by = ["code"]
    objects = UnitManager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def refresh_search_name(self) -> None:
        self.search_name = unit_search_name(self.name)

    def save(self, *args, **kwargs):
        self.refresh_search_name()
        if (fields := kwargs.get("update_fields")) is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_large_grassroots(self) -> bool:
        return self.level == UnitLevel.GRASSROOTS and self.worker_count >= 1000


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class OfficerQuerySet(ChangeTrackedQuerySet):
    def in_scope(self, user) -> "OfficerQuerySet":
        """Officers whose home unit lies in a subtree the user may see."""
        from .scope import scope_filter

        return self.filter(scope_filter(user, "unit__path"))

    def sorted_by_name(self) -> "OfficerQuerySet":
        return self.order_by("sort_key", "id")


class OfficerManager(models.Manager.from_queryset(OfficerQuerySet)):
    def for_user(self, user) -> "Officer | None":
        """The one answer to "which officer is this user?": the officer linked to ``user``, or None
        for an anonymous user or an account that is no officer (staff, editors).

        Reads the user's ``officer`` relation, so it costs no query when that is loaded already
        (``select_related("officer")``, or an earlier call with the same request's user) and one
        otherwise. It lives on the manager, not the queryset, because it answers about a person:
        chained after a filter (``in_scope(...)``) it would silently ignore it.
        """
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        try:
            return user.officer
        except Officer.DoesNotExist:
            return None


NAME_FIELDS = {"family_name", "middle_name", "given_name"}


def validate_phone(value: str) -> None:
    """Refuse a phone number that is not a valid number (``core.phones``)."""
    try:
        normalise_phone(value)
    except InvalidPhone as error:
        raise ValidationError(error.message, code="invalid_phone") from None


class PhoneNumberField(models.CharField):
    """A phone number stored in E.164 (``+84912345678``); its form field accepts it typed any
    usual way and shows it readable (``0912 345 678``)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


PHONE_TAKEN = "phone_taken"


class ContactChannel(models.TextChoices):
    """How the system may reach an officer (the notifications app delivers through each)."""

    ZALO = "zalo", _("Zalo")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Officer(ChangeTracked):
    code = models.CharField(_("officer code"), max_length=32, unique=True, null=True, blank=True)
    family_name = models.CharField(_("family name"), max_length=64)
    middle_name = models.CharField(_("middle name"), max_length=64, blank=True)
    given_name = models.CharField(_("given name"), max_length=64)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # E.164; at most one officer per number (sign-in by phone relies on it). A number from before
    # the normalisation that could not be read (or was shared) stays as typed, without "+".
    phone = PhoneNumberField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    # Blank: the order the operator configured (NOTIFY_CHANNEL_ORDER); a channel the officer has
    # no address for, or that is not configured, is skipped.
    preferred_channel = models.CharField(
        _("preferred channel"),
        max_length=8,
        choices=ContactChannel.choices,
        blank=True,
        help_text=_("How messages reach this officer first. Empty: the usual order."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="officers"
    )
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    # The full name folded for searching (organizations.search); set with sort_key.
    search_name = models.CharField(
        max_length=OFFICER_SEARCH_NAME_LENGTH, editable=False, db_index=True, default=""
    )

    objects = OfficerManager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(phone__startswith="+"),
                name="one_officer_per_phone",
                violation_error_code=PHONE_TAKEN,
                violation_error_message=_("This phone number already belongs to another officer."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)

    def refresh_name_keys(self) -> None:
        """Recompute what is derived from the name: the sort key and the search column.

        Call it before a bulk_create/bulk_update (which skip save()), and write both fields.
        """
        self.sort_key = name_sort_key(self.family_name, self.middle_name, self.given_name)
        self.search_name = officer_search_name(self.family_name, self.middle_name, self.given_name)

    @property
    def phone_display(self) -> str:
        """The phone as people read it: ``0912 345 678``."""
        return display_phone(self.phone)

    def normalise_phone(self) -> None:
        """Store the phone in E.164 when it reads as a number; leave text that does not as it is
        (``clean()`` refuses it in forms; an old value is never lost on an unrelated save)."""
        try:
            self.phone = normalise_phone(self.phone)
        except InvalidPhone:
            pass

    def clean_fields(self, exclude=None):
        self.normalise_phone()
        super().clean_fields(exclude)

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            # The one-officer-per-phone message belongs under the phone field, not above the form.
            errors = error.update_error_dict({})
            others = [e for e in errors.get(NON_FIELD_ERRORS, []) if e.code != PHONE_TAKEN]
            taken = [e for e in errors.get(NON_FIELD_ERRORS, []) if e.code == PHONE_TAKEN]
            if taken:
                errors.setdefault("phone", []).extend(taken)
                errors[NON_FIELD_ERRORS] = others
                if not others:
                    del errors[NON_FIELD_ERRORS]
            raise ValidationError(errors) from None

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        self.normalise_phone()
        if (fields := kwargs.get("update_fields")) is not None and NAME_FIELDS & set(fields):
            kwargs["update_fields"] = {*fields, "sort_key", "search_name"}
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    PROPAGANDA_OFFICER = "propaganda_officer", _("Propaganda-education officer")
    REPORTER = "reporter", _("Reporter")
    PROPAGANDIST = "propagandist", _("Propagandist")
    OPINION_COLLABORATOR = "opinion_collaborator", _("Public-opinion collaborator")
    GRASSROOTS_CHAIR = "grassroots_chair", _("Grassroots union chair")
    UNIT_MANAGER = "unit_manager", _("Unit manager")


class RoleAssignmentQuerySet(ChangeTrackedQuerySet):
    def active_on(self, day: date) -> "RoleAssignmentQuerySet":
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def active_in_year(self, year: int) -> "RoleAssignmentQuerySet":
        """Assignments that overlap the calendar year at all."""
        return self.filter(start_date__lte=date(year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date(year, 1, 1))
        )


class RoleAssignment(ChangeTracked):
    """An officer holding a role at a unit between two dates. Closed, never deleted."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="role_assignment_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["role", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CHECKING = "checking", _("Checking the file")
    INVALID = "invalid", _("Errors found")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Preview expired")


class ImportJob(models.Model):
    """One uploaded roster file: its preview (dry run), its errors and, once confirmed, its result.

    Not a ``core.jobs.GeneratedFile``, by choice: an import makes no file to download. It has
    two runs with a human step between them (queued → checking → ready/invalid → importing →
    done), its "done" commits in the same transaction as the roster, a preview expires on its
    own clock (``ROSTER_IMPORT_PREVIEW_HOURS``) and its file is the *upload*, kept only on request.
    Forcing that into pending/running/done would need sub-states and flags that make both state
    machines harder to read. What it shares: the heartbeat (``core.tasks.heartbeat`` on
    ``last_progress_at``, judged by ``JOB_STALE_SECONDS``) and the page's poller
    (``core.jobs.status_payload`` read by ``core/js/job-progress.js``).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    keep_file = models.BooleanField(_("keep the uploaded file"), default=False)
    # The uploader asked to close the open roles of officers left out of the file (at its units).
    close_missing = models.BooleanField(_("close the roles of officers not in the file"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    phase = models.CharField(max_length=32, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moved on every status change and every few thousand rows; a running job whose
    # last_progress_at is old was abandoned (see importing.jobs.sweep_jobs).
    last_progress_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.READY, ImportStatus.INVALID):
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
