"""Reads of the ledger: an officer's history with who did what, and whose history a viewer may open."""

from django.db.models import Prefetch

from core.vietnamese.names import full_name
from organizations.models import Officer
from organizations.scope import is_auditor

from ..models import TrainingRecord


def person_name(user) -> str:
    """A person's name the Vietnamese way: the roster's name, else last + first name, else e-mail."""
    if user is None:
        return "—"
    officer = Officer.objects.for_user(user)  # select_related("…__officer"): no query
    if officer is not None:
        return officer.full_name
    return full_name(user.last_name, "", user.first_name) or user.email or user.get_username()


def record_history(records):
    """Records with who recorded, voided and corrected them, newest first (no query per row)."""
    return (
        records.select_related("recorded_by__officer", "voided_by__officer", "corrects", "in_person_class")
        .prefetch_related(Prefetch("corrections", queryset=TrainingRecord.objects.only("id", "corrects_id")))
        .order_by("-completed_on", "-id")
    )


def with_names(page):
    """Give each record of a page its recorder's and voider's names (no query: selected)."""
    for record in page.object_list:
        record.recorder_name = person_name(record.recorded_by)
        record.voider_name = person_name(record.voided_by)
    return page


def officers_with_history(user, officer_ids) -> set[int]:
    """Which of ``officer_ids`` (a page of a list) the viewer may open the ledger history of:
    those whose home unit is in their scope (all for an auditor). At most one query."""
    ids = set(officer_ids)
    if not ids or is_auditor(user):
        return ids
    return set(Officer.objects.in_scope(user).filter(id__in=ids).values_list("id", flat=True))
