"""Choosing a class's organising unit when the scope is the whole city (~15,000 units).

On the site's class form a small scope keeps its <select>; a large one types the unit's code
(with suggestions from a scoped search). In the admin the unit chooser replaces the select.
Either way a unit outside the scope is refused.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from organizations.models import UnitLevel
from organizations.tests.factories import UnitFactory
from training.models import InPersonClass

from .class_factories import InPersonClassFactory

CLASS = {
    "title": "Bồi dưỡng nghiệp vụ báo cáo viên",
    "topic": "Nghiệp vụ",
    "start_date": "2026-04-02",
    "end_date": "2026-04-03",
    "place": "Nhà văn hóa quận",
    "hours": "12",
    "counts_toward_requirement": "on",
}
UNKNOWN = "Không có đơn vị nào mang mã"


@pytest.fixture
def small_limit(monkeypatch):
    """Scopes of more than one unit count as large, so the fixture tree shows both forms."""
    monkeypatch.setattr("organizations.fields.UNIT_SELECT_LIMIT", 1)


def unit_input(html: str) -> str:
    match = re.search(r'<input type="text" name="organising_unit"[^>]*>', html)
    return match.group(0) if match else ""


def test_small_scope_keeps_the_select(client, tree, manager_a):
    client.force_login(manager_a)
    html = client.get(reverse("training:class_create")).text
    assert '<select name="organising_unit"' in html
    assert f'<option value="{tree["ga"].pk}">' in html and f'value="{tree["gb"].pk}"' not in html
    assert not unit_input(html)


def test_a_city_wide_scope_types_a_code_instead_of_a_list_of_every_unit(client, tree, auditor):
    parent = tree["b"]
    for n in range(201):
        UnitFactory(parent=parent, code=f"X-{n:03d}", name=f"CĐCS thêm {n}", level=UnitLevel.GRASSROOTS)
    client.force_login(auditor)
    html = client.get(reverse("training:class_create")).text
    assert '<select name="organising_unit"' not in html
    # No unit is listed (the only select left is the class's kind).
    assert "X-000" not in html and html.count("<option") == html.count("<option", html.index('name="kind"'))
    assert html.count("<option") == 4  # "---------" and the three kinds
    field = unit_input(html)
    assert 'list="id_organising_unit-suggestions"' in field
    assert f'data-unit-search="{reverse("organizations:unit_search")}"' in field
    assert '<datalist id="id_organising_unit-suggestions"></datalist>' in html
    assert "organizations/unit_code_input.js" in html
    assert "Gõ mã đơn vị" in html  # the help text says what to type

    response = client.post(reverse("training:class_create"), {**CLASS, "organising_unit": "x-200"})
    assert response.status_code == 302
    assert InPersonClass.objects.get().organising_unit.code == "X-200"


def test_a_code_in_scope_is_accepted(client, tree, manager_a, small_limit):
    client.force_login(manager_a)
    assert unit_input(client.get(reverse("training:class_create")).text)
    response = client.post(reverse("training:class_create"), {**CLASS, "organising_unit": " CS-A "})
    assert response.status_code == 302
    klass = InPersonClass.objects.get()
    assert klass.organising_unit == tree["ga"] and klass.created_by == manager_a
    # Editing shows the unit's code, and saving unchanged keeps it.
    edit = client.get(reverse("training:class_edit", args=[klass.pk])).text
    assert 'value="CS-A"' in unit_input(edit)


@pytest.mark.parametrize("code", ["CS-B", "Q-CG", "HN", "NOPE", "   "])
def test_a_code_outside_scope_or_unknown_is_refused(client, tree, manager_a, small_limit, code):
    client.force_login(manager_a)
    response = client.post(reverse("training:class_create"), {**CLASS, "organising_unit": code})
    assert response.status_code == 200
    assert not InPersonClass.objects.exists()
    if code.strip():
        assert f"{UNKNOWN} “{code}” trong phạm vi của bạn" in response.text
        assert "CĐCS Trường THCS Cầu Giấy" not in response.text  # nothing about the unit leaks
    else:
        assert "Trường này là bắt buộc" in response.text


@pytest.mark.parametrize("code", ["CS-A\x00", "\x00", "C" * 5000])
def test_a_code_no_unit_can_have_is_refused_without_touching_the_database(
    client, tree, manager_a, small_limit, code
):
    client.force_login(manager_a)
    response = client.post(reverse("training:class_create"), {**CLASS, "organising_unit": code})
    assert response.status_code == 200
    assert UNKNOWN in response.text
    assert not InPersonClass.objects.exists()


def test_unit_search_takes_any_text_without_an_error(client, tree, auditor):
    client.force_login(auditor)
    url = reverse("organizations:unit_search")
    for query in ("a " * 1200, "\x00\x00", "CS\x00-A", "x" * 10_000):
        response = client.get(url, {"q": query})
        assert response.status_code == 200 and "results" in response.json()
    assert [unit["code"] for unit in client.get(url, {"q": "May Ba " + "a " * 50}).json()["results"]] == [
        "CS-A"
    ]


def test_unit_search_suggests_only_units_in_scope(client, tree, manager_a, auditor, learner):
    url = reverse("organizations:unit_search")
    client.force_login(manager_a)
    assert client.get(url, {"q": "CS"}).json() == {
        "results": [
            {
                "code": "CS-A",
                "name": "CĐCS Công ty May Ba Đình",
                "label": "CĐCS Công ty May Ba Đình — LĐLĐ quận Ba Đình",
            }
        ]
    }
    assert client.get(url, {"q": "Cầu Giấy"}).json() == {"results": []}
    assert client.get(url, {"q": "C"}).json() == {"results": []}  # too short to be useful
    client.force_login(auditor)
    assert [unit["code"] for unit in client.get(url, {"q": "cs-"}).json()["results"]] == ["CS-A", "CS-B"]
    client.force_login(learner)
    assert client.get(url, {"q": "CS"}).json() == {"results": []}
    client.logout()
    assert client.get(url, {"q": "CS"}).status_code == 302


def test_unit_search_is_one_page_of_suggestions(client, tree, auditor, django_assert_max_num_queries):
    for n in range(30):
        UnitFactory(parent=tree["b"], code=f"X-{n:03d}", name=f"CĐCS thêm {n}", level=UnitLevel.GRASSROOTS)
    client.force_login(auditor)
    client.get(reverse("organizations:unit_search"), {"q": "thêm"})
    with django_assert_max_num_queries(5):
        results = client.get(reverse("organizations:unit_search"), {"q": "thêm"}).json()["results"]
    assert len(results) == 20


# --- the admin's class form ---------------------------------------------------------------------


@pytest.fixture
def admin_class_editor(manager_a):
    manager_a.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_inpersonclass", "change_inpersonclass"]
        )
    )
    return manager_a


def admin_data(**changes):
    return {**CLASS, "hours": "12.0", "grants_certificate": "", **changes}


def test_admin_class_form_uses_the_unit_chooser(client, tree, admin_class_editor):
    klass = InPersonClassFactory(organising_unit=tree["ga"])
    client.force_login(admin_class_editor)
    url = f"/admin/training/classes/edit/{klass.pk}/"
    html = client.get(url).text
    assert "/admin/roster/unit-chooser/" in html
    assert "CĐCS Công ty May Ba Đình (CS-A)" in html
    assert f'<option value="{tree["ga"].pk}"' not in html

    response = client.post(url, admin_data(organising_unit=tree["a"].pk))
    assert response.status_code == 302
    assert InPersonClass.objects.get(pk=klass.pk).organising_unit == tree["a"]


def test_admin_class_form_refuses_a_forged_unit_outside_scope(client, tree, admin_class_editor):
    klass = InPersonClassFactory(organising_unit=tree["ga"])
    client.force_login(admin_class_editor)
    url = f"/admin/training/classes/edit/{klass.pk}/"
    for unit in (tree["gb"], tree["b"], tree["city"]):
        response = client.post(url, admin_data(organising_unit=unit.pk))
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    assert InPersonClass.objects.get(pk=klass.pk).organising_unit == tree["ga"]


def test_a_class_cannot_have_negative_hours(client, tree, manager_a):
    """Its records copy the hours: a negative figure would take hours off an officer's total."""
    client.force_login(manager_a)
    response = client.post(
        reverse("training:class_create"), {**CLASS, "hours": "-8", "organising_unit": tree["ga"].pk}
    )
    assert response.status_code == 200 and "Số giờ không được âm." in response.text
    assert not InPersonClass.objects.exists()
