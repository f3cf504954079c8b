"""Member-needs surveys: Wagtail form pages and their answers.

Editors build a survey in the Wagtail admin with the form builder (checkboxes,
radio buttons, drop-downs, free text). A survey is either open to anyone with
the link (answers are anonymous) or to signed-in officers only (one answer per
officer, enforced by a unique constraint; the officer's unit is kept on the
answer so results can be scoped to a manager's subtree).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder, WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.pages import AsciiSlugFormMixin, AsciiSlugPage
from organizations.models import Officer
from organizations.scope import is_auditor

# Field types whose answers are counted per choice; the others are listed as text.
CHOICE_FIELD_TYPES = ("checkboxes", "radio", "dropdown", "multiselect", "checkbox")
TEXT_FIELD_TYPES = ("singleline", "multiline", "email", "number", "url", "date", "datetime")


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone with the link (anonymous)")
    OFFICERS = "officers", _("Signed-in officers only (one answer each)")


class SurveyState(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", _("Not yet open")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SurveyAnswersPanel(FormSubmissionsPanel):
    """Wagtail's "Total submissions" panel, shown only to those who may open the listing it links to
    (see wagtail_hooks.survey_answers_for_auditors_only)."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            return is_auditor(self.request.user) and super().is_shown()


class SurveyIndexPage(AsciiSlugPage, Page):
    """Lists the surveys that are open now and those recently closed."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["surveys.SurveyPage"]
    template = "surveys/survey_index_page.html"

    class Meta:
        verbose_name = _("survey index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        surveys = list(SurveyPage.objects.child_of(self).live().order_by("-opens_on", "-pk"))
        today = timezone.localdate()
        context["open_surveys"] = [s for s in surveys if s.state_on(today) == SurveyState.OPEN]
        context["other_surveys"] = [s for s in surveys if s.state_on(today) != SurveyState.OPEN]
        return context


class SurveyFormBuilder(FormBuilder):
    """Wagtail's form builder, with an empty first option in drop-downs.

    Without it a drop-down shows its first choice selected, and everyone who skips the
    question is counted for that choice; now a required drop-down left alone is an error.
    """

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("— Choose —"))] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)


class SurveyFormField(AbstractFormField):
    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")


class SurveyPageForm(AsciiSlugFormMixin, WagtailAdminFormPageForm):
    pass


class SurveyPage(AsciiSlugPage, AbstractEmailForm):
    """A survey built with Wagtail's form builder, with an audience and open/close dates."""

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True)
    audience = models.CharField(
        _("who may answer"), max_length=16, choices=Audience.choices, default=Audience.OFFICERS
    )
    opens_on = models.DateField(_("opens on"), help_text=_("First day answers are accepted."))
    closes_on = models.DateField(_("closes on"), help_text=_("Last day answers are accepted."))

    base_form_class = SurveyPageForm  # the form builder's checks, and ASCII slugs (core.pages)

    content_panels = AbstractEmailForm.content_panels + [
        SurveyAnswersPanel(),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")])],
            heading=_("Who and when"),
        ),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail each answer (optional)"),
        ),
    ]
    parent_page_types = ["lms.HomePage", "surveys.SurveyIndexPage"]
    subpage_types: list[str] = []
    template = "surveys/survey_page.html"
    form_builder = SurveyFormBuilder
    landing_page_template = "surveys/survey_page_landing.html"

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A survey cannot close before it opens.")})

    # --- state -----------------------------------------------------------------
    def state_on(self, day) -> str:
        if day < self.opens_on:
            return SurveyState.NOT_YET_OPEN
        if day > self.closes_on:
            return SurveyState.CLOSED
        return SurveyState.OPEN

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    @property
    def is_for_officers(self) -> bool:
        return self.audience == Audience.OFFICERS

    # --- submissions -------------------------------------------------------------
    def get_submission_class(self):
        return SurveySubmission

    def get_submissions(self):
        return super().get_submissions().select_related("unit")

    def get_data_fields(self):
        fields = super().get_data_fields()
        # Right after the submission date: which unit the answer came from.
        return fields[:1] + [("unit_name", _("Unit"))] + fields[1:]

    def process_form_submission(self, form):
        """Only called through ``services.submit_answer``; see ``serve``."""
        raise NotImplementedError("Use surveys.services.submit_answer")

    def serve(self, request, *args, **kwargs):
        from . import services

        context = self.get_context(request)
        officer = Officer.objects.for_user(request.user)
        refusal = services.refusal_reason(self, user=request.user, officer=officer)
        if refusal is not None:
            return self._refuse(request, context, refusal)
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                try:
                    submission = services.submit_answer(page=self, form=form, officer=officer)
                except services.AlreadyAnswered:
                    return self._refuse(request, context, services.Refusal.ALREADY_ANSWERED)
                except services.SurveyNotOpen:  # closed between the check and the write
                    return self._refuse(request, context, services.Refusal.CLOSED)
                return self.render_landing_page(request, submission, *args, **kwargs)
        else:
            form = self.get_form(page=self, user=request.user)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    def _refuse(self, request, context, refusal):
        from .services import REFUSAL_STATUS, Refusal

        context["refusal"] = Refusal(refusal)
        status = REFUSAL_STATUS[refusal] if request.method == "POST" else 200
        return TemplateResponse(request, self.get_template(request), context, status=status)


class SurveySubmission(AbstractFormSubmission):
    """One answer to a survey; for officers-only surveys, at most one per officer."""

    officer = models.ForeignKey(
        "organizations.Officer",
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_submissions",
    )
    # Snapshot of the officer's home unit when they answered: results stay scoped
    # to where the answer came from, even if the officer moves later.
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "officer"],
                condition=models.Q(officer__isnull=False),
                name="surveys_one_answer_per_officer",
            )
        ]
        indexes = [models.Index(fields=["page", "submit_time"])]

    def get_data(self):
        data = super().get_data()
        data["unit_name"] = self.unit.name if self.unit_id else ""
        return data
