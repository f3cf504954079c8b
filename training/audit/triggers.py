"""What makes the required-course assignments be recomputed: the roster and the rules changing.

Each change enqueues ``training.tasks.recompute_assignments`` after commit, as narrowly as it
can: a role added, ended or moved re-evaluates only its officer; a unit's level or size its
role holders; a roster import (bulk writes, no per-row signals) or a requirement created,
edited or copied forward every officer of the open years.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.tasks import enqueue
from organizations.models import RoleAssignment, Unit
from organizations.signals import roster_imported

from ..models import Requirement, RequirementCourse, RequirementRule


def _task():
    from ..tasks import recompute_assignments  # tasks imports the audit: import it late

    return recompute_assignments


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _role_changed(sender, instance, **kwargs) -> None:
    enqueue(_task(), officer_ids=[instance.officer_id])


@receiver(post_save, sender=Unit)
def _unit_changed(sender, instance, created, **kwargs) -> None:
    if not created:
        enqueue(_task(), unit_id=instance.pk)


@receiver(roster_imported)
def _roster_imported(sender, **kwargs) -> None:
    enqueue(_task())


@receiver(post_save, sender=Requirement)
@receiver(post_delete, sender=Requirement)
def _requirement_changed(sender, instance, **kwargs) -> None:
    enqueue(_task(), years=[instance.year])


@receiver(post_save, sender=RequirementRule)
@receiver(post_delete, sender=RequirementRule)
@receiver(post_save, sender=RequirementCourse)
@receiver(post_delete, sender=RequirementCourse)
def _requirement_part_changed(sender, instance, **kwargs) -> None:
    enqueue(_task(), years=[instance.requirement.year])


@receiver(m2m_changed, sender=Requirement.class_kinds.through)
def _class_kinds_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, Requirement):
        enqueue(_task(), years=[instance.year])
