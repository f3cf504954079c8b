"""Numbers: sequential per issuer and year, no gap or duplicate under concurrency."""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from certificates import numbering, services
from certificates.models import Certificate, IssuerCounter
from organizations.tests.factories import OfficerFactory

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
    certificate, created = services.issue_certificate(record=pass_course(officer))
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


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_numbers_without_gaps_or_duplicates(tree):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer, so it cannot show row locking; run on PostgreSQL")
    officers = [OfficerFactory(unit=tree["ga"]) for _ in range(12)]
    records = [pass_course(o, completed_on=date(2026, 4, 1)) for o in officers]
    barrier = threading.Barrier(len(records))
    errors = []

    def issue(record):
        try:
            barrier.wait()
            services.issue_certificate(record=record)
            services.issue_certificate(record=record)  # seen twice: still one certificate
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Certificate.objects.filter(issuer_code="LĐLĐ").values_list("number", flat=True))
    assert numbers == list(range(1, len(records) + 1))
    assert IssuerCounter.objects.get(issuer_code="LĐLĐ").last_number == len(records)
