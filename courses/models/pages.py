"""Wagtail pages: CourseIndexPage → CoursePage → LessonPage / QuizPage."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.utils import ErrorList
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import StreamBlockValidationError
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.pages import AsciiSlugPage, AsciiSlugPageForm

from .blocks import LessonBodyBlock, QuestionStreamBlock


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_ATTEMPT = "after_attempt", _("After each attempt")
    AFTER_PASSING = "after_passing", _("After passing")


class CourseIndexPage(AsciiSlugPage, Page):
    """The catalogue of online courses."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import catalogue

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue(self, request.user))
        return context


class CoursePage(AsciiSlugPage, Page):
    """A course: lessons and quizzes below it, in the order of the page tree.

    Passing means every live lesson completed and every live quiz passed.
    """

    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("Two or three sentences on the course card and at the top of the course page."),
    )
    objectives = RichTextField(_("learning objectives"), blank=True, features=["ul", "ol", "bold", "italic"])
    topic = models.CharField(
        _("topic"),
        max_length=120,
        blank=True,
        help_text=_("A short label above the title, e.g. “Truyền thông số”."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("Recorded in the training ledger as the hours of this training when a learner passes."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counts_toward_requirement = models.BooleanField(
        _("counts toward the yearly training requirement"),
        default=True,
        help_text=_("Untick for optional courses: passing is still recorded, but not counted for the year."),
    )
    grants_certificate = models.BooleanField(
        _("grants a certificate"),
        default=True,
        help_text=_("Learners who pass get a numbered PDF certificate."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("topic"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("counts_toward_requirement"),
                FieldPanel("grants_certificate"),
            ],
            heading=_("Completion"),
            help_text=_("A learner passes the course by completing every lesson and passing every quiz."),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("topic")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview(self, request.user))
        return context


def _require_live_course(course, request) -> None:
    """Unpublishing a course leaves its lessons and quizzes live unless the editor ticks
    "unpublish child pages": they are still not served, except in the editor's preview."""
    if not course.live and not getattr(request, "is_preview", False):
        raise Http404


# Sent by the course page's script when it saves the course's pages for offline reading.
OFFLINE_SAVE_HEADER = "X-Offline-Save"


def _remember_visit(page, context) -> None:
    """An enrolled learner's visit is where "continue where I left off" takes them next time."""
    from ..services import touch_progress

    if context["enrolment"]:
        touch_progress(officer=context["officer"], course_id=context["course"].pk, page_id=page.pk)


class LessonPage(AsciiSlugPage, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=10,
        help_text=_("Reading time shown to learners in the course outline."),
    )

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list = []
    item_kind = "lesson"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import item_context, ready_small_videos

        context = super().get_context(request, *args, **kwargs)
        context.update(item_context(self, request.user))
        context["small_videos"] = ready_small_videos(self)
        if request.headers.get(OFFLINE_SAVE_HEADER) != "1":  # saving is not visiting
            _remember_visit(self, context)
        _require_live_course(context["course"], request)
        return context


class QuizPageForm(AsciiSlugPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # A draft may be empty; a published quiz without questions could never be passed,
        # and with it the whole course.
        if (
            not self.is_deferred_validation
            and "questions" not in self.errors
            and not cleaned_data.get("questions")
        ):
            message = _(
                "Add at least one question before publishing: nobody can pass a quiz without questions."
            )
            self.add_error(
                "questions",
                StreamBlockValidationError(non_block_errors=ErrorList([ValidationError(message)])),
            )
        return cleaned_data


class QuizPage(AsciiSlugPage, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ul", "ol", "link"])
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("question pool"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("From 1 to 100: the share of the points a learner needs to pass."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from the pool. Leave empty to use them all."),
    )
    review_policy = models.CharField(
        _("learners may review answers"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_ATTEMPT,
        help_text=_(
            "What the result page shows besides the score: the right answers and feedback after every "
            "graded attempt (so before the next one), only once the learner has passed, or never."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("draw_count"),
                FieldPanel("review_policy"),
            ],
            heading=_("Quiz settings"),
        ),
        FieldPanel("questions"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list = []
    item_kind = "quiz"
    base_form_class = QuizPageForm

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        pool = len(self.questions)
        if self.draw_count and self.draw_count > pool:
            raise ValidationError(
                {
                    "draw_count": ngettext(
                        "The pool has only %(count)d question: draw at most that many, or leave this empty.",
                        "The pool has only %(count)d questions: draw at most that many, or leave this empty.",
                        pool,
                    )
                    % {"count": pool}
                }
            )

    def get_context(self, request, *args, **kwargs):
        from ..selectors import quiz_context

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_context(self, request.user))
        if request.headers.get(OFFLINE_SAVE_HEADER) != "1":
            _remember_visit(self, context)
        _require_live_course(context["course"], request)
        return context
