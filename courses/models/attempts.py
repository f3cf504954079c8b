"""Quiz attempts: a snapshot of the questions drawn, saved answers and the server's grade."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Officer


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class CloseReason(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted by the learner")
    TIMED_OUT = "timed_out", _("Closed when time ran out")


class QuizAttemptQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=AttemptState.IN_PROGRESS)

    def locked_with_liveness(self):
        """Attempts locked for update (their rows only), each with whether its quiz and its
        course are live (``quiz_live``, ``course_live``) read in the same statement."""
        from wagtail.models import Page

        def live(page_field: str):
            return models.Exists(Page.objects.filter(pk=models.OuterRef(page_field), live=True))

        # EXISTS on the pages' primary key rather than a join through the specific page tables:
        # PostgreSQL plans it in a fraction of the time (0.5 ms for the joins).
        return self.select_for_update(of=("self",)).annotate(
            quiz_live=live("quiz_id"), course_live=live("course_id")
        )

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())


class QuizAttempt(models.Model):
    """One attempt of one learner at one quiz.

    ``snapshot`` holds the questions drawn at start, in the order shown, with
    their answers and points: grading reads only the snapshot, so editing the
    published quiz later never changes an attempt already started.
    ``sequence`` grows with every accepted save; a save carrying an older value
    (from a stale tab) is refused, as Moodle does with its sequencecheck.
    ``last_save_tab`` and ``last_save_sequence`` remember which page (a random token
    per loaded page) made the last accepted save and the sequence it carried, so that
    page may repeat that save when the response was lost on the way back.
    """

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        "courses.QuizPage", verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    close_reason = models.CharField(
        _("closed because"), max_length=12, choices=CloseReason.choices, blank=True
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(pgettext_lazy("quiz attempt", "deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    snapshot = models.JSONField(_("questions drawn"), default=dict)
    answers = models.JSONField(_("saved answers"), default=dict, blank=True)
    sequence = models.PositiveIntegerField(_("save sequence"), default=0)
    last_save_tab = models.CharField(_("page of the last save"), max_length=64, blank=True, editable=False)
    last_save_sequence = models.PositiveIntegerField(
        _("sequence of the last save"), null=True, blank=True, editable=False
    )
    score = models.DecimalField(_("points scored"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(
        _("points available"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    results = models.JSONField(_("per-question results"), default=list, blank=True)

    objects = QuizAttemptQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "quiz", "number"], name="attempt_number_unique"),
            # At most one open attempt per learner and quiz, also under concurrent starts.
            models.UniqueConstraint(
                fields=["officer", "quiz"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="courses_attempt_deadline")]

    def __str__(self) -> str:
        return f"{self.officer} — {self.quiz_id} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def questions(self) -> list[dict]:
        return self.snapshot.get("questions", [])

    def is_overdue(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline
