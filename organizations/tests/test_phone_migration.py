"""Phones written before the normalisation: normalised, and nothing lost on the way."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("organizations", "0008_invitation_moves_to_accounts")]


def migrate(targets):
    return MigrationExecutor(connection).migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_phones_are_normalised_unreadable_ones_kept_and_reported_shared_ones_given_to_one(capsys):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE)
        Unit = old.get_model("organizations", "Unit")
        Officer = old.get_model("organizations", "Officer")
        User = old.get_model("auth", "User")
        unit = Unit.objects.create(
            path="0900", depth=1, numchild=0, code="MIG", name="LĐLĐ Di Trú", level="city", search_name="mig"
        )

        def officer(code, phone, **extra):
            return Officer.objects.create(
                code=code, family_name="Lê", given_name=code, unit=unit, phone=phone, sort_key=code, **extra
            )

        plain = officer("MIG-1", "0912345678")
        dotted = officer("MIG-2", "0987.654.321")
        unreadable = officer("MIG-3", "0912 34")
        first = officer("MIG-4", "0933000111")  # the oldest of three sharing a number...
        with_account = officer(
            "MIG-5", "+84 933 000 111", user=User.objects.create(username="mig5@example.vn")
        )  # ...but this one signs in: it keeps the number
        third = officer("MIG-6", "0933 000 111")
        blank = officer("MIG-7", "")
        capsys.readouterr()

        migrate(latest)
    finally:
        migrate(latest)

    from organizations.models import Officer

    phones = dict(Officer.objects.filter(unit__code="MIG").values_list("pk", "phone"))
    assert phones[plain.pk] == "+84912345678"
    assert phones[dotted.pk] == "+84987654321"
    assert phones[unreadable.pk] == "0912 34"  # left as typed
    assert phones[with_account.pk] == "+84933000111"
    assert (phones[first.pk], phones[third.pk]) == ("0933000111", "0933 000 111")  # as typed
    assert phones[blank.pk] == ""

    out = capsys.readouterr().out
    assert f"officer id {unreadable.pk} (MIG-3): '0912 34'" in out
    assert f"+84933000111 kept by officer id {with_account.pk} (MIG-5)" in out
    assert f"id {first.pk} (MIG-4): '0933000111'" in out and f"id {third.pk} (MIG-6)" in out

    # From now on a number belongs to one officer.
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.filter(pk=dotted.pk).update(phone="+84912345678")
