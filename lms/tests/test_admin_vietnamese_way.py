"""The Wagtail admin in Vietnamese, the Vietnamese way: yes/no as "Có"/"Không" with an icon, and
people named family name first ("Phạm Thị Lan") in every listing, filter and history."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.log_actions import log

from certificates.models import CertificateTemplate
from courses import services
from courses.tests.conftest import build_course
from organizations.tests.factories import UserFactory
from training.tests.class_factories import InPersonClassFactory


def cells(html: str) -> list[str]:
    """Each table cell's visible text, tags and whitespace folded."""
    found = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in found]


def assert_no_python_booleans(html: str) -> None:
    texts = " | ".join(cells(html))
    assert not re.search(r"\b(True|False|None)\b", texts), texts
    assert 'title="True"' not in html and 'title="False"' not in html


def test_certificate_templates_say_which_is_the_default_in_words(
    client, admin_auditor, django_assert_max_num_queries
):
    CertificateTemplate.objects.create(name="Mẫu chuẩn", is_default=True)
    CertificateTemplate.objects.create(name="Mẫu ngang", is_default=False)
    client.force_login(admin_auditor)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:list")
    with django_assert_max_num_queries(30) as few:
        html = client.get(url).content.decode()
    rows = cells(html)
    assert any("Mẫu chuẩn" in row for row in rows)
    assert "Có" in rows and "Không" in rows  # "Mẫu mặc định": one of each
    assert 'class="icon icon-check' in html and 'class="icon icon-cross' in html
    assert_no_python_booleans(html)

    for number in range(10):
        CertificateTemplate.objects.create(name=f"Mẫu {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_in_person_classes_list_yes_no_in_words(client, manager_a, tree):
    InPersonClassFactory(organising_unit=tree["a"], title="Lớp tính giờ", counts_toward_requirement=True)
    InPersonClassFactory(organising_unit=tree["a"], title="Lớp không tính", counts_toward_requirement=False)
    manager_a.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_inpersonclass", "change_inpersonclass"]
        )
    )
    client.force_login(manager_a)
    html = client.get(reverse("training_classes:index")).content.decode()
    assert {"Có", "Không"} <= set(cells(html))
    assert_no_python_booleans(html)
    klass = InPersonClassFactory(organising_unit=tree["a"], grants_certificate=False)
    inspect = client.get(reverse("training_classes:inspect", args=[klass.pk])).content.decode()
    assert "Không" in unescape(inspect)
    assert not re.search(r"<dd[^>]*>\s*(True|False)\s*</dd>", inspect)


def test_a_quiz_attempt_says_passed_in_words_to_a_manager(client, manager_a, learner):
    _, _, quiz = build_course()
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)
    attempt.passed = False
    attempt.save(update_fields=["passed"])
    manager_a.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_quizattempt")
    )
    client.force_login(manager_a)
    listing = client.get(reverse("learning_attempts:index")).content.decode()
    assert "Không" in cells(listing)
    assert_no_python_booleans(listing)
    inspect = unescape(client.get(reverse("learning_attempts:inspect", args=[attempt.pk])).content.decode())
    assert re.search(r"<dd[^>]*>.*?icon-cross.*?<span>Không</span>", inspect, re.S)


@pytest.fixture
def lan(db):
    """An editor whose account holds her name the way the sign-up form asks it: given, family."""
    user = UserFactory(email="lan@example.vn", first_name="Lan", last_name="Phạm Thị")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_users_are_named_family_name_first():
    from django.contrib.auth import get_user_model

    user = get_user_model()(username="x", first_name="Lan", last_name="Phạm Thị")
    assert user.get_full_name() == "Phạm Thị Lan"
    assert get_user_model()(username="y", first_name="", last_name="").get_full_name() == ""


def test_page_history_names_the_editor_family_name_first(client, lan):
    course, lessons, _quiz = build_course(lessons=1)
    lessons[0].save_revision(user=lan, log_action=True)
    client.force_login(lan)
    html = unescape(client.get(reverse("wagtailadmin_pages:history", args=[lessons[0].pk])).content.decode())
    assert "Phạm Thị Lan" in html
    assert "Lan Phạm Thị" not in html


def test_site_history_and_its_user_filter_name_people_family_name_first(
    client, admin_auditor, lan, django_assert_max_num_queries
):
    course, lessons, _quiz = build_course(lessons=1)
    lessons[0].save_revision(user=lan, log_action=True)
    template = CertificateTemplate.objects.create(name="Mẫu chuẩn")
    log(instance=template, action="wagtail.edit", user=lan)
    admin_auditor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(admin_auditor)
    with django_assert_max_num_queries(40) as few:
        html = unescape(client.get(reverse("wagtailadmin_reports:site_history")).content.decode())
    assert "Phạm Thị Lan" in html  # in the rows and in the "User" filter's choices
    assert "Lan Phạm Thị" not in html

    for number in range(8):
        log(
            instance=template,
            action="wagtail.edit",
            user=UserFactory(first_name="An", last_name=f"Lê {number}"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("wagtailadmin_reports:site_history"))
