"""Invitations move from organizations to accounts without losing a row: an existing database keeps
its table, its rows, its constraint, and the permissions and admin history tied to invitations."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Today's schema before the move: Invitation still in organizations, accounts not migrated.
BEFORE_THE_MOVE = [("organizations", "0007_unit_code_alphabet"), ("accounts", None)]


def migrate(targets):
    """Migrate the test database to ``targets``; returns the historical models as they are then."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_invitations_made_before_the_move_are_kept_and_read_through_accounts():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE_THE_MOVE)
        old_content_type = old.get_model("contenttypes", "ContentType").objects.get(
            app_label="organizations", model="invitation"
        )
        unit = old.get_model("organizations", "Unit").objects.create(
            path="0900", depth=1, numchild=0, code="MIG", name="LĐLĐ Di Trú", level="city", search_name="mig"
        )
        officer = old.get_model("organizations", "Officer").objects.create(
            family_name="Nguyễn",
            given_name="Mai",
            email="mai.migration@example.vn",
            unit=unit,
            sort_key="mai nguyen",
            search_name="nguyen mai",
        )
        manager = old.get_model("auth", "User").objects.create(username="manager.mig@example.vn")
        expires = timezone.now() + timedelta(days=14)
        old.get_model("organizations", "Invitation").objects.create(
            officer=officer,
            email="mai.migration@example.vn",
            key="key-made-before-the-move",
            invited_by=manager,
            expires_at=expires,
            issued_at=timezone.now(),
            sent_at=timezone.now(),
            send_count=1,
        )
        old.get_model("wagtailcore", "ModelLogEntry").objects.create(
            content_type=old_content_type,
            label="mai.migration@example.vn",
            action="wagtail.edit",
            data={},
            timestamp=timezone.now(),
            object_id="1",
        )

        migrate(latest)
    finally:
        migrate(latest)  # whatever happened, the next test finds today's schema

    from accounts.models import Invitation

    ContentType.objects.clear_cache()
    invitation = Invitation.objects.select_related("officer__unit", "invited_by").get(
        key="key-made-before-the-move"
    )
    assert invitation.email == invitation.officer.email == "mai.migration@example.vn"
    assert invitation.officer.unit.code == "MIG"
    assert invitation.invited_by.username == "manager.mig@example.vn"
    assert invitation.is_pending and invitation.send_count == 1
    assert list(invitation.officer.invitations.all()) == [invitation]

    # The content type was renamed, not replaced: the same row, so what pointed at it still does.
    content_type = ContentType.objects.get_for_model(Invitation)
    assert (content_type.pk, content_type.app_label) == (old_content_type.pk, "accounts")
    assert not ContentType.objects.filter(app_label="organizations", model="invitation").exists()
    assert set(Permission.objects.filter(content_type=content_type).values_list("codename", flat=True)) >= {
        "add_invitation",
        "change_invitation",
        "delete_invitation",
        "view_invitation",
    }
    assert ModelLogEntry.objects.filter(content_type=content_type, label="mai.migration@example.vn").exists()

    # The table kept its constraint: still one open invitation per officer.
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            officer=invitation.officer, email=invitation.email, key="a-second-open-one", expires_at=expires
        )
