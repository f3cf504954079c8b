"""Required courses: what satisfies a requirement, and who is assigned it.

A requirement names the online courses (``RequirementCourse``, chosen in the admin) and the
kinds of in-person class (``ClassKind``) that satisfy it. Every officer the year's rules
require (``training.audit.rules``, the audit's own code) holds one ``Assignment`` per named
course, or one without a course when the requirement names only in-person classes.
Assignments follow the roster (``training.audit.assignments``): an officer who stops being
required is unassigned (``unassigned_at``), never deleted, and whatever they learnt stays.
Courses are Wagtail pages referenced generically, so this app never imports ``courses``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import PageChooserPanel
from wagtail.models import Orderable

from organizations.models import Officer

from .requirements import Requirement

__all__ = ["Assignment", "AssignmentQuerySet", "ClassKind", "RequirementCourse"]


class ClassKind(models.Model):
    """A kind of in-person class (lớp tập huấn, hội nghị báo cáo viên…), named by requirements."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("kind of in-person class")
        verbose_name_plural = _("kinds of in-person class")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequirementCourse(Orderable):
    """An online course that satisfies a requirement (a course page, chosen in the admin)."""

    requirement = ParentalKey(Requirement, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("online course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("course", page_type="courses.CoursePage")]

    wagtail_reference_index_ignore = True

    class Meta(Orderable.Meta):
        verbose_name = _("required course")
        verbose_name_plural = _("required courses")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "course"], name="one_link_per_requirement_course")
        ]

    def __str__(self) -> str:
        return str(self.course)


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> "AssignmentQuerySet":
        return self.filter(unassigned_at__isnull=True)

    def started(self) -> "AssignmentQuerySet":
        """Active assignments of an online course the officer has begun (lesson opened or done)."""
        return self.active().filter(course__isnull=False, started_at__isnull=False)


class Assignment(models.Model):
    """An officer required to take a course (or, ``course`` empty, an in-person class) by a deadline."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="assignments"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("online course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    assigned_at = models.DateTimeField(_("assigned at"))
    unassigned_at = models.DateTimeField(_("unassigned at"), null=True, blank=True)
    # The first lesson or quiz opened (courses tells us); "đang học" in the audit.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # When the officer was told; at most one message a day (training.audit.assignments).
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "requirement", "course"],
                condition=Q(course__isnull=False),
                name="one_assignment_per_course",
            ),
            models.UniqueConstraint(
                fields=["officer", "requirement"],
                condition=Q(course__isnull=True),
                name="one_class_assignment_per_requirement",
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "year"], name="assignment_officer_year"),
            models.Index(fields=["requirement", "officer"], name="assignment_requirement"),
            models.Index(fields=["year", "started_at"], name="assignment_year_started"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.course or self.requirement}"

    @property
    def is_active(self) -> bool:
        return self.unassigned_at is None
