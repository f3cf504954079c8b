"""Certificates (Giấy chứng nhận): templates, the per-issuer counters, issued certificates, bulk ZIPs.

An issued certificate is immutable: everything printed on it is a snapshot taken at
issue, its PDF is written once and its SHA-256 recorded. A correction is a reissue
(a new certificate that supersedes the old one); a withdrawal is a revocation.
"""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin
from wagtail.search import index

from core.jobs import GeneratedFile, JobStatus

from .codes import display_code

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


class CertificateTemplate(PreviewableMixin, index.Indexed, models.Model):
    """The look and wording of certificates; editors manage it as a Wagtail snippet.

    Each certificate remembers its template, but its stored PDF never changes when
    the template is edited: a fixed template reaches learners only through a reissue.
    The admin's preview shows the PDF of a made-up certificate, before anything is saved.
    """

    name = models.CharField(_("name"), max_length=120)
    is_default = models.BooleanField(
        _("default template"), default=False, help_text=_("Used for every new certificate.")
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    national_heading = models.CharField(
        _("national heading"), max_length=120, default="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    national_motto = models.CharField(_("motto"), max_length=120, default="Độc lập - Tự do - Hạnh phúc")
    title = models.CharField(_("title"), max_length=120, default="GIẤY CHỨNG NHẬN")
    recipient_label = models.CharField(_("recipient label"), max_length=120, default="Chứng nhận Ông/Bà")
    completion_text = models.CharField(
        _("completion wording"), max_length=255, default="Đã hoàn thành chương trình bồi dưỡng"
    )
    closing_text = models.CharField(_("closing wording"), max_length=255, blank=True)
    place = models.CharField(_("place of issue"), max_length=60, default="Hà Nội")
    signer_title = models.TextField(
        _("signer's title"), default="TM. BAN THƯỜNG VỤ", help_text=_("One or two lines.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b3261e", validators=[colour_validator]
    )
    text_colour = models.CharField(
        _("text colour"), max_length=7, default="#1f1f1f", validators=[colour_validator]
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [
                FieldPanel("national_heading"),
                FieldPanel("national_motto"),
                FieldPanel("title"),
                FieldPanel("recipient_label"),
                FieldPanel("completion_text"),
                FieldPanel("closing_text"),
                FieldPanel("place"),
            ],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signer_title"),
                FieldPanel("signer_name"),
                FieldPanel("signature_image"),
                FieldPanel("seal_image"),
            ],
            heading=_("Signer"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("orientation"),
                FieldPanel("background_image"),
                FieldPanel("accent_colour"),
                FieldPanel("text_colour"),
            ],
            heading=_("Layout"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_certificate_template"
            )
        ]

    def __str__(self) -> str:
        return self.name

    # A PDF page, too small to read at the admin's default phone width.
    preview_sizes = [PreviewableMixin.DEFAULT_PREVIEW_SIZES[-1]]
    default_preview_size = preview_sizes[0]["name"]

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from .rendering import TemplateImageMissing, render_sample

        try:
            pdf = render_sample(self)
        except TemplateImageMissing:
            message = _(
                "An image of this template cannot be read: choose its seal, signature and background again."
            )
            return HttpResponse(message, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response

    def clean(self) -> None:
        """The default can be moved to another template, not simply switched off: new
        certificates would otherwise fall back to a bare built-in template."""
        super().clean()
        if (
            not self.is_default
            and self.pk
            and CertificateTemplate.objects.filter(pk=self.pk, is_default=True).exists()
            and not CertificateTemplate.objects.filter(is_default=True).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {"is_default": _("Mark another template as the default instead; there must always be one.")}
            )

    def validate_constraints(self, exclude=None) -> None:
        # "Another template is default" is no error here: save() moves the default to this one.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})

    def save(self, *args, **kwargs) -> None:
        """Marking a template default unmarks the one that was (one default, also in the database)."""
        with transaction.atomic():
            if self.is_default:
                CertificateTemplate.objects.filter(is_default=True).exclude(pk=self.pk).update(
                    is_default=False
                )
            super().save(*args, **kwargs)


class IssuerCounter(models.Model):
    """The last number given by one issuer in one year; locked while a number is taken."""

    issuer_code = models.CharField(_("issuer code"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")
        constraints = [
            models.UniqueConstraint(fields=["issuer_code", "year"], name="one_counter_per_issuer_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer_code} {self.year}: {self.last_number}"


def new_file_key() -> str:
    return secrets.token_hex(8)


class CertificateStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    FAILED = "failed", _("Could not be prepared")
    VALID = "valid", _("Valid")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class CertificateQuerySet(models.QuerySet):
    def current(self) -> "CertificateQuerySet":
        """Certificates not replaced by a reissue (revoked ones included)."""
        return self.filter(superseded_at__isnull=True)

    def owned_by(self, user) -> "CertificateQuerySet":
        return self.filter(officer__user=user) if user.is_authenticated else self.none()

    def visible_to(self, user) -> "CertificateQuerySet":
        """Owner's own, plus those of officers in a managed subtree; all for auditors."""
        from organizations.scope import is_auditor, managed_unit_paths

        if not user.is_authenticated:
            return self.none()
        if is_auditor(user):
            return self
        condition = Q(officer__user=user)
        for path in managed_unit_paths(user):
            condition |= Q(officer__unit__path__startswith=path)
        return self.filter(condition)


class Certificate(models.Model):
    """One issued certificate proving one training record; never changed after issue."""

    record = models.ForeignKey(
        "training.TrainingRecord",
        verbose_name=_("training record"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    officer = models.ForeignKey(
        "organizations.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    # Numbering: "Số: {number}/{year}/GCN-{issuer_code}".
    issuer_code = models.CharField(_("issuer code"), max_length=32)
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    # Snapshot of what the certificate prints, taken at issue.
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    unit_name = models.CharField(_("unit"), max_length=255)
    training_title = models.CharField(_("training"), max_length=255)
    training_start = models.DateField(_("training from"))
    training_end = models.DateField(_("training to"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    # A random part of the PDF's file name, so a stored file never collides with another's.
    file_key = models.CharField(max_length=16, default=new_file_key, editable=False)
    # The stored PDF, relative to PRIVATE_MEDIA_ROOT; set once, together with its hash.
    pdf_path = models.CharField(_("PDF file"), max_length=255, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # Set when the render task gave up after its last retry (cleared once a later try succeeds);
    # the periodic sweep tries such certificates again on every run.
    render_failed_at = models.DateTimeField(_("rendering failed at"), null=True, blank=True)
    render_error = models.TextField(_("rendering error"), blank=True, editable=False)
    notified_at = models.DateTimeField(_("learner notified at"), null=True, blank=True)
    # A reissue points at the certificate it replaces; the old one gets superseded_at.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    reissue_reason = models.TextField(_("reason for reissue"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The Open Badges 3.0 credential (certificates.openbadges): its fixed position in the status
    # list, taken once, and the signed VC-JWT, made once (embedded in the PDF, served as is).
    status_list = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    status_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    credential_jwt = models.TextField(blank=True, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_code", "year", "number"], name="one_certificate_number"),
            # One current certificate per training record: issuing twice is a no-op.
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_certificate_per_record",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_certificate_per_status_bit"
            ),
        ]
        indexes = [models.Index(fields=["year", "officer"], name="certificate_year_officer")]

    def __str__(self) -> str:
        return f"{self.number_display} — {self.full_name}"

    @property
    def number_display(self) -> str:
        return f"{self.number}/{self.year}/GCN-{self.issuer_code}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_at:
            return CertificateStatus.SUPERSEDED
        if not self.pdf_sha256:
            return CertificateStatus.FAILED if self.render_failed_at else CertificateStatus.PREPARING
        return CertificateStatus.VALID

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label

    def current_successor(self) -> "Certificate | None":
        """The certificate that now stands for this one: the end of its chain of reissues
        (173 → 245 → 301 gives 301). None if this one was not replaced. One query a link."""
        if self.superseded_at is None:
            return None
        successor = self
        for _step in range(100):  # a chain is a handful of reissues; never loop forever
            successor = Certificate.objects.filter(supersedes=successor).first()
            if successor is None or successor.superseded_at is None:
                return successor
        return successor

    @property
    def verification_code_display(self) -> str:
        """The code as printed and shown: a new code in groups of four (``7KQ2-M9XD-…``),
        an older code (URL-safe base64, from before typeable codes) exactly as stored."""
        return display_code(self.verification_code)

    @property
    def is_ready(self) -> bool:
        return bool(self.pdf_sha256)

    def verification_url(self) -> str:
        from django.urls import reverse

        return settings.SITE_URL.rstrip("/") + reverse("verify:detail", args=[self.verification_code_display])


# The shared states of generated files (core.jobs); the name is kept for the callers.
BulkExportStatus = JobStatus

BULK_EXPORT_DIR = "exports"


class BulkExport(GeneratedFile):
    """A ZIP of every current certificate of a unit subtree for a year, built by a worker.

    Its state machine, heartbeat and sweeps are core.jobs.GeneratedFile's; ``file_path`` (column
    ``zip_path``) is relative to the private media root. ``progress`` follows ``done``/``total``.
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("added"), default=0)
    file_path = models.CharField(max_length=255, blank=True, editable=False, db_column="zip_path")

    STATUS_LABELS = {JobStatus.RUNNING: _("Building")}
    RESTART_FIELDS = {"done": 0}
    PART_NAME = re.compile(r"^\.certificates-(\d+)\.zip\..*\.part$")

    class Meta:
        verbose_name = _("certificate ZIP")
        verbose_name_plural = _("certificate ZIPs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    @classmethod
    def file_root(cls) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @classmethod
    def files_folder(cls) -> Path:
        return cls.file_root() / BULK_EXPORT_DIR

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
