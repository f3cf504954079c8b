"""Two officers accepting the last place at once: the class row's lock lets one in (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from lms.testing.threads import run_in_threads
from organizations.tests.factories import OfficerFactory
from training.classes import invitations
from training.models import ClassInvitation

from .class_factories import InPersonClassFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so it cannot show row locking; run on PostgreSQL",
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 2])
def test_concurrent_acceptances_never_exceed_capacity(tree, monkeypatch, capacity):
    day = timezone.localdate() + timedelta(days=5)
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=day, end_date=day, capacity=capacity)
    people = [OfficerFactory(unit=tree["ga"]) for _ in range(6)]
    invitations.invite(in_person_class=klass, officer_ids=[p.pk for p in people])
    rows = list(ClassInvitation.objects.filter(in_person_class=klass))
    # Every thread is inside its transaction before any takes the lock: a real race.
    barrier = threading.Barrier(len(rows))
    entered = []
    original = invitations._lock_class

    def lock_after_everyone(pk):
        if threading.current_thread() is not threading.main_thread():
            entered.append(threading.get_ident())
            barrier.wait(timeout=30)
        return original(pk)

    monkeypatch.setattr(invitations, "_lock_class", lock_after_everyone)
    results, errors = run_in_threads(lambda row: invitations.respond(invitation=row, accept=True), rows)
    assert errors == [] and len(set(entered)) == len(rows)
    states = sorted(ClassInvitation.objects.values_list("state", flat=True))
    assert states.count("accepted") == capacity
    assert states.count("waitlisted") == len(rows) - capacity
    # A decline frees a place: exactly one promoted, in order of answering.
    monkeypatch.setattr(invitations, "_lock_class", original)
    accepted = ClassInvitation.objects.filter(in_person_class=klass, state="accepted").first()
    first_waiting = ClassInvitation.objects.filter(state="waitlisted").order_by("waitlisted_at", "id").first()
    invitations.respond(invitation=accepted, accept=False)
    assert ClassInvitation.objects.filter(state="accepted").count() == capacity
    first_waiting.refresh_from_db()
    assert first_waiting.state == "accepted"
