"""Phones on the roster: stored in one format, one officer per number, searched and shown readable."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from organizations.models import Officer

from .factories import OfficerFactory


def test_every_save_path_stores_the_phone_in_e164(tree):
    officer = OfficerFactory(unit=tree["ga"], phone="0912.345.678")
    assert officer.phone == "+84912345678"
    officer.phone = "84 987 654 321"
    officer.save(update_fields=["phone"])
    officer.refresh_from_db()
    assert officer.phone == "+84987654321"
    assert officer.phone_display == "0987 654 321"


def test_an_unreadable_old_value_is_not_lost_on_an_unrelated_save(tree):
    officer = OfficerFactory(unit=tree["ga"])
    Officer.objects.filter(pk=officer.pk).update(phone="0912 34")  # as an old import left it
    officer.refresh_from_db()
    officer.given_name = "Hoa"
    officer.save()
    officer.refresh_from_db()
    assert officer.phone == "0912 34"


def test_a_number_belongs_to_one_officer_whatever_way_it_was_typed(tree):
    OfficerFactory(unit=tree["ga"], phone="0912 345 678")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(unit=tree["gb"], phone="+84 912 345 678")
    # Officers without a phone are many.
    OfficerFactory(unit=tree["ga"], phone="")
    OfficerFactory(unit=tree["gb"], phone="")


def test_model_validation_puts_the_messages_on_the_phone_field(tree):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    OfficerFactory(unit=tree["ga"], phone="0912345678")
    other = OfficerFactory.build(unit=tree["gb"], phone="0912 345 678", code="CB-X")
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert caught.value.message_dict == {"phone": ["Số điện thoại này đã thuộc về một cán bộ khác."]}
    other.phone = "12345"
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert list(caught.value.message_dict) == ["phone"]
    assert "không phải số điện thoại" in caught.value.message_dict["phone"][0]


def _admin_form(officer, **changes):
    data = {
        "family_name": officer.family_name,
        "middle_name": officer.middle_name,
        "given_name": officer.given_name,
        "date_of_birth": "",
        "gender": officer.gender,
        "code": officer.code,
        "unit": officer.unit_id,
        "phone": "",
        "email": officer.email,
    }
    return {**data, **changes}


def test_the_admin_form_takes_any_usual_format_and_refuses_impossible_or_taken_numbers(
    client, admin_manager, tree
):
    officer = OfficerFactory(unit=tree["ga"], phone="0912345678")
    OfficerFactory(unit=tree["gb"], phone="0987654321")  # district B's, outside the manager's scope
    client.force_login(admin_manager)
    url = f"/admin/roster/officers/edit/{officer.pk}/"
    assert 'value="0912 345 678"' in client.get(url).text  # shown readable

    response = client.post(url, _admin_form(officer, phone="12345"))
    assert response.status_code == 200
    assert "không phải số điện thoại" in response.text
    response = client.post(url, _admin_form(officer, phone="0987.654.321"))
    assert response.status_code == 200
    assert "Số điện thoại này đã thuộc về một cán bộ khác." in response.text
    officer.refresh_from_db()
    assert officer.phone == "+84912345678"

    response = client.post(url, _admin_form(officer, phone="+84 933 000 111"))
    assert response.status_code == 302, response.text[-2000:]
    officer.refresh_from_db()
    assert officer.phone == "+84933000111"
    assert "0933 000 111" in client.get("/admin/roster/officers/").text


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678", "345 678"]
)
def test_searching_the_roster_by_a_phone_in_any_format_finds_the_officer(client, manager_a, tree, typed):
    found = OfficerFactory(unit=tree["ga"], phone="0912345678", given_name="Hoa")
    other = OfficerFactory(unit=tree["ga"], phone="0912000000", given_name="Lan")
    outside = OfficerFactory(unit=tree["gb"], phone="0912345679", given_name="Bình")  # out of scope
    client.force_login(manager_a)
    page = client.get(reverse("organizations:officer_list"), {"q": typed}).text
    assert f"/{found.pk}/" in page
    assert f"/{other.pk}/" not in page and f"/{outside.pk}/" not in page


def test_the_officer_page_shows_the_phone_readable(client, manager_a, tree):
    officer = OfficerFactory(unit=tree["ga"], phone="+84912345678")
    client.force_login(manager_a)
    page = client.get(reverse("organizations:officer_detail", args=[officer.pk])).text
    assert "0912 345 678" in page and "+84912345678" not in page
