"""Numbers: sequential per issuer and year, no gap or duplicate under concurrency."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from certificates import issuing, numbering, receivers
from certificates.models import Certificate, IssuerCounter
from lms.testing.threads import run_in_threads
from organizations.tests.factories import OfficerFactory
from training.models import TrainingRecord

from .conftest import pass_course


def test_numbers_run_per_issuer_and_year(tree):
    with transaction.atomic():
        assert [numbering.next_number("LĐLĐ", 2026) for _ in range(3)] == [1, 2, 3]
        assert numbering.next_number("LĐLĐ", 2027) == 1
        assert numbering.next_number("Q-BD", 2026) == 1


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        numbering.next_number("LĐLĐ", 2026)


def test_a_rolled_back_issue_gives_its_number_back(tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.next_number("LĐLĐ", 2026)
        raise RuntimeError("the certificate could not be saved")
    with transaction.atomic():
        assert numbering.next_number("LĐLĐ", 2026) == 1


def test_online_course_certificates_are_issued_by_the_city_federation(tree):
    officer = OfficerFactory(unit=tree["gb"])
    certificate, created = issuing.issue_certificate(record=pass_course(officer))
    assert created
    assert certificate.issuer_code == "LĐLĐ"
    assert certificate.issuer_name == tree["city"].name
    assert certificate.number_display == f"1/{certificate.year}/GCN-LĐLĐ"


def test_verification_codes_are_random_url_safe_and_long_enough(tree):
    codes = {numbering.new_verification_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) >= 16  # 96 bits in base64url
        assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_an_integrity_error_other_than_an_existing_certificate_is_not_swallowed(tree, monkeypatch):
    officer = OfficerFactory(unit=tree["ga"])
    first, _ = issuing.issue_certificate(record=pass_course(officer))
    # A clash on something else (here a verification code) must surface, not read as "already issued".
    monkeypatch.setattr(numbering, "new_verification_code", lambda: first.verification_code)
    with pytest.raises(IntegrityError):
        issuing.issue_certificate(record=pass_course(officer, title="Pháp luật công đoàn"))
    assert Certificate.objects.count() == 1
    assert IssuerCounter.objects.get(issuer_code="LĐLĐ").last_number == 1  # the number was given back


# --- Concurrency (PostgreSQL) ---------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so it cannot show row locking; run on PostgreSQL",
)


@pytest.fixture
def queued_renders(monkeypatch):
    """The renders issue_certificate queues, recorded instead of sent.

    Outside a transaction ``enqueue``'s on_commit runs at once, in the issuing thread; this
    keeps those tasks out of the broker folder that the worker tests share.
    """
    queued, lock = [], threading.Lock()

    def record(task, *args, **kwargs):
        with lock:
            queued.append((task.name, args))

    monkeypatch.setattr(issuing, "enqueue", record)
    return queued


@pytest.fixture
def all_inside_before_numbering(monkeypatch):
    """Make ``n`` issuing threads all enter their transaction before any of them takes a number.

    Each thread has passed issue_certificate's "already issued?" check and opened its
    transaction when it reaches the barrier, so they then really race for the counter
    lock and the certificate insert. Returns a function that arms it for ``n`` threads.
    """
    real_next_number = numbering.next_number
    state = {}

    def arm(n):
        state["barrier"] = threading.Barrier(n, timeout=30)
        state["entered"] = []
        return state

    def racing_next_number(issuer_code, year):
        assert transaction.get_connection().in_atomic_block
        state["entered"].append(threading.get_ident())
        state["barrier"].wait()
        return real_next_number(issuer_code, year)

    monkeypatch.setattr(numbering, "next_number", racing_next_number)
    return arm


def granting_records(officers):
    """Certificate-granting records recorded while the ledger event's listener is off, so the
    certificates are issued only by the racing threads (records cannot be edited afterwards)."""
    from training.ledger.signals import training_recorded

    training_recorded.disconnect(dispatch_uid="certificates.issue")
    try:
        records = [pass_course(o, completed_on=date(2026, 4, 1)) for o in officers]
    finally:
        training_recorded.connect(receivers.issue_on_training_recorded, dispatch_uid="certificates.issue")
    assert not Certificate.objects.exists()
    return list(
        TrainingRecord.objects.select_related("officer__unit")
        .filter(pk__in=[r.pk for r in records])
        .order_by("pk")
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers_without_gaps_or_duplicates(
    tree, queued_renders, all_inside_before_numbering
):
    records = granting_records([OfficerFactory(unit=tree["ga"]) for _ in range(12)])
    race = all_inside_before_numbering(len(records))

    results, errors = run_in_threads(lambda record: issuing.issue_certificate(record=record), records)

    assert errors == []
    assert len(set(race["entered"])) == len(records)  # every thread was inside its transaction at once
    assert all(created for _certificate, created in results)
    certificates = Certificate.objects.filter(issuer_code="LĐLĐ")
    assert sorted(certificates.values_list("record_id", flat=True)) == [r.pk for r in records]
    assert sorted(certificates.values_list("number", flat=True)) == list(range(1, len(records) + 1))
    assert IssuerCounter.objects.get(issuer_code="LĐLĐ").last_number == len(records)
    # One render queued per certificate, none for the records themselves.
    render = "certificates.tasks.render_certificate_pdf"
    pks = certificates.values_list("pk", flat=True)
    assert sorted(queued_renders) == sorted((render, (pk,)) for pk in pks)
    # Seen again (the event delivered twice): still one certificate each, no new number.
    for record in records:
        assert issuing.issue_certificate(record=record)[1] is False
    assert IssuerCounter.objects.get(issuer_code="LĐLĐ").last_number == len(records)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_of_the_same_record_make_one_certificate_and_no_gap(
    tree, queued_renders, all_inside_before_numbering
):
    record, other = granting_records([OfficerFactory(unit=tree["ga"]) for _ in range(2)])
    threads = 8
    race = all_inside_before_numbering(threads)

    results, errors = run_in_threads(lambda _: issuing.issue_certificate(record=record), range(threads))

    assert errors == []
    assert len(set(race["entered"])) == threads  # all took the insert path, so 7 hit the IntegrityError
    (certificate,) = Certificate.objects.filter(record=record)
    assert sorted(created for _c, created in results) == [False] * (threads - 1) + [True]
    assert {c.pk for c, _created in results} == {certificate.pk}
    assert certificate.number == 1
    # The losers' increments were rolled back with their inserts: no gap before the next number.
    assert IssuerCounter.objects.get(issuer_code="LĐLĐ").last_number == 1
    assert queued_renders == [("certificates.tasks.render_certificate_pdf", (certificate.pk,))]
    race["barrier"] = threading.Barrier(1)
    following, created = issuing.issue_certificate(record=other)
    assert created and following.number == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_void_in_progress_makes_a_racing_issue_give_up(tree, auditor, queued_renders):
    """The record is voided while its certificate is being issued: no valid certificate is left."""
    from training.ledger.services import void_record

    (record,) = granting_records([OfficerFactory(unit=tree["ga"])])
    locked, done = threading.Event(), threading.Event()

    def void_and_hold():
        with transaction.atomic():
            void_record(record=record, by=auditor, reason="Ghi nhầm người")
            locked.set()
            done.wait(timeout=2)  # the issue below runs while the void is not yet committed

    thread = threading.Thread(target=lambda: run_in_threads(lambda _: void_and_hold(), [None]))
    thread.start()
    assert locked.wait(timeout=30)
    timer = threading.Timer(0.5, done.set)
    timer.start()
    assert issuing.issue_certificate(record=record) == (None, False)  # waits for the void
    thread.join(timeout=30)
    assert not Certificate.objects.exists()
    assert not IssuerCounter.objects.filter(last_number__gt=0).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_void_waits_for_an_issue_in_progress_and_revokes_its_certificate(tree, auditor, queued_renders):
    from training.ledger.services import void_record

    (record,) = granting_records([OfficerFactory(unit=tree["ga"])])
    issued, done = threading.Event(), threading.Event()

    def issue_and_hold():
        with transaction.atomic():
            issuing.issue_certificate(record=record)
            issued.set()
            done.wait(timeout=2)  # the void below starts while the issue is not yet committed

    thread = threading.Thread(target=lambda: run_in_threads(lambda _: issue_and_hold(), [None]))
    thread.start()
    assert issued.wait(timeout=30)
    timer = threading.Timer(0.5, done.set)
    timer.start()
    void_record(record=record, by=auditor, reason="Ghi nhầm người")  # waits for the issue
    thread.join(timeout=30)
    certificate = Certificate.objects.get(record=record)
    assert certificate.status == "revoked"
    assert certificate.revocation_reason == "Ghi nhầm người"
