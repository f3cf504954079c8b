"""courses listens to training: assignments just made for courses already begun are "started"."""

from django.db.models import Exists, OuterRef, Subquery
from django.dispatch import receiver

from training.audit.assignments import assignments_recomputed
from training.models import Assignment

from .models import Enrolment


@receiver(assignments_recomputed)
def mark_begun_courses_started(sender, officer_ids=None, **kwargs) -> int:
    """One UPDATE: active assignments not yet started whose course the officer has opened take the
    time of their first activity there, so the audit shows them "đang học" at once."""
    begun = Enrolment.objects.filter(
        officer_id=OuterRef("officer_id"), course_id=OuterRef("course_id"), last_activity_at__isnull=False
    )
    rows = Assignment.objects.active().filter(course__isnull=False, started_at__isnull=True)
    if officer_ids is not None:
        rows = rows.filter(officer_id__in=officer_ids)
    return rows.filter(Exists(begun)).update(started_at=Subquery(begun.values("enrolled_at")[:1]))
