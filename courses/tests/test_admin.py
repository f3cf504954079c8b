"""The admin lists learning records read-only, within the manager's scope."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from courses import services
from courses.tests.conftest import build_course
from organizations.tests.factories import OfficerFactory


def test_admin_lists_attempts_in_scope_read_only(client, manager_a, learner, tree):
    _, _, quiz = build_course()
    mine = services.start_attempt(officer=learner.officer, quiz=quiz)  # learner is in manager_a's subtree
    other = services.start_attempt(officer=OfficerFactory(unit=tree["gb"]), quiz=quiz)
    manager_a.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_quizattempt"),
        Permission.objects.get(codename="change_quizattempt"),
    )
    client.force_login(manager_a)
    listing = client.get(reverse("learning_attempts:index"))
    assert listing.status_code == 200
    assert learner.officer.full_name in listing.content.decode()
    assert client.get(reverse("learning_attempts:inspect", args=[mine.pk])).status_code == 200
    assert client.get(reverse("learning_attempts:inspect", args=[other.pk])).status_code == 404
    # Even with the model permission, nobody edits an attempt in the admin.
    assert client.get(reverse("learning_attempts:edit", args=[mine.pk])).status_code in (302, 403, 404)
