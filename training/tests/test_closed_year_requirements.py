"""A closed year's requirements are frozen with its audit, in the model layer and in the admin."""

from datetime import date

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from organizations.models import Role
from training.audit.close_year import close_year, reopen_year
from training.audit.selectors import available_years
from training.audit.services import copy_year_forward
from training.models import Requirement, RequirementRule, YearClosedError

from .audit_helpers import (
    CORPS,
    YEAR,
    figures,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)

AFTER_THE_YEAR = date(YEAR + 1, 1, 2)
CLOSED = "Năm 2026 đã khóa sổ"


@pytest.fixture
def closed(tree, program09, auditor):
    trained = officer_with(tree["ga"], Role.PROPAGANDIST, given_name="Anh")
    officer_with(tree["gb"], Role.REPORTER, given_name="Hà")
    record(trained, date(YEAR, 3, 1))
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    return program09


def _edit_data(requirement, **changes):
    rules = list(requirement.rules.all())
    fields = {
        "year": requirement.year,
        "target": requirement.target,
        "title": requirement.title,
        "min_trainings": requirement.min_trainings,
        "min_hours": str(requirement.min_hours),
        "deadline": str(requirement.deadline),
        "notes": requirement.notes,
        **changes,
    }
    fields["course_links"] = inline_formset([])
    fields["rules"] = inline_formset(
        [
            {"id": r.pk, "role": r.role, "unit_level": r.unit_level, "min_workers": r.min_workers}
            for r in rules
        ],
        initial=len(rules),
    )
    return nested_form_data(fields)


def _state():
    return list(
        Requirement.objects.order_by("year", "target").values_list("year", "target", "min_hours")
    ), list(RequirementRule.objects.order_by("id").values_list("requirement_id", "role", "min_workers"))


# --- model layer -------------------------------------------------------------------------------


def test_a_closed_years_requirement_cannot_be_changed_or_deleted(closed):
    corps = closed[CORPS]
    before = _state()
    corps.min_hours = 8
    with pytest.raises(YearClosedError):
        corps.save()
    with pytest.raises(YearClosedError):
        Requirement.objects.get(pk=corps.pk).delete()
    with pytest.raises(YearClosedError):
        Requirement.objects.filter(year=YEAR).delete()  # a queryset delete too
    rule = corps.rules.first()
    rule.min_workers = 5
    with pytest.raises(YearClosedError):
        rule.save()
    with pytest.raises(YearClosedError):
        rule.delete()
    with pytest.raises(YearClosedError):
        RequirementRule.objects.create(requirement=corps, role=Role.GRASSROOTS_CHAIR)
    assert _state() == before


def test_nothing_moves_into_or_out_of_a_closed_year(closed):
    last_year = Requirement.objects.get(year=YEAR - 1, target=CORPS)
    last_year.year = YEAR  # into the closed year
    with pytest.raises(YearClosedError):
        last_year.save()
    corps = Requirement.objects.get(pk=closed[CORPS].pk)
    corps.year = YEAR + 3  # out of it
    with pytest.raises(YearClosedError):
        corps.save()
    with pytest.raises(YearClosedError):
        Requirement.objects.create(year=YEAR, target="other", title="x")


def test_copying_forward_into_a_closed_year_copies_nothing(tree, program09, auditor):
    program09[CORPS].delete()  # the year is still open: allowed
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    with pytest.raises(YearClosedError):
        copy_year_forward(from_year=YEAR - 1, to_year=YEAR)
    assert not Requirement.objects.filter(year=YEAR, target=CORPS).exists()


def test_after_reopening_the_year_can_be_edited_again(closed, auditor):
    reopen_year(year=YEAR, by=auditor, reason="Sửa chỉ tiêu")
    corps = closed[CORPS]
    corps.min_hours = 8
    corps.save()
    assert Requirement.objects.get(pk=corps.pk).min_hours == 8


# --- the frozen audit ---------------------------------------------------------------------------


def test_a_frozen_audit_reads_its_snapshot_even_without_requirement_rows(client, closed, auditor):
    before = figures()
    assert before[CORPS] == (2, 1)
    # Rows gone behind the model layer's back (raw SQL, a restore): the snapshot still answers.
    RequirementRule.objects.filter(requirement__year=YEAR)._raw_delete("default")
    Requirement.objects.filter(year=YEAR)._raw_delete("default")
    assert figures() == before
    assert YEAR in available_years()
    client.force_login(auditor)
    page = client.get("/audit/", {"year": YEAR})
    assert page.status_code == 200
    assert {t: (f.required, f.done) for t, f in page.context["headline"].items()} == before
    body = page.content.decode()
    assert "Chưa đặt yêu cầu bồi dưỡng" not in body and f'<option value="{YEAR}" selected' in body


def test_a_year_closed_without_a_target_still_has_none(tree, program09, auditor):
    program09[CORPS].delete()
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    assert figures()[CORPS] is None


# --- the admin ----------------------------------------------------------------------------------


def test_admin_edit_of_a_closed_year_is_refused_with_a_message(client, admin_auditor, closed):
    client.force_login(admin_auditor)
    corps = closed[CORPS]
    before = _state()
    url = f"/admin/training/requirements/edit/{corps.pk}/"
    response = client.post(url, _edit_data(corps, min_hours="8"), follow=True)
    assert response.redirect_chain[-1][0] == "/admin/training/requirements/"
    assert CLOSED in response.content.decode()
    assert _state() == before
    response = client.get(url, follow=True)
    assert response.redirect_chain and CLOSED in response.content.decode()


def test_admin_delete_of_a_closed_year_is_refused_with_a_message(client, admin_auditor, closed):
    client.force_login(admin_auditor)
    before = _state()
    url = f"/admin/training/requirements/delete/{closed[CORPS].pk}/"
    response = client.post(url, follow=True)
    assert response.status_code == 200 and CLOSED in response.content.decode()
    assert _state() == before
    assert CLOSED in client.get(url, follow=True).content.decode()


def test_admin_add_or_move_into_a_closed_year_is_a_form_error(
    client, admin_auditor, tree, program09, auditor
):
    program09[CORPS].delete()  # the year is still open: allowed
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    client.force_login(admin_auditor)
    before = _state()
    last_year = Requirement.objects.get(year=YEAR - 1, target=CORPS)
    response = client.post(
        f"/admin/training/requirements/edit/{last_year.pk}/",
        _edit_data(last_year, year=YEAR, deadline=f"{YEAR}-12-31"),
    )
    assert response.status_code == 200 and CLOSED in response.content.decode()
    assert _state() == before
    new = _edit_data(last_year, year=YEAR, deadline=f"{YEAR}-12-31")
    new.update({"rules-INITIAL_FORMS": "0"})
    new = {k: v for k, v in new.items() if not k.endswith("-id")}
    response = client.post("/admin/training/requirements/new/", new)
    assert response.status_code == 200 and CLOSED in response.content.decode()
    assert _state() == before


def test_admin_index_hides_edit_and_delete_of_a_closed_year(client, admin_auditor, closed):
    client.force_login(admin_auditor)
    body = client.get("/admin/training/requirements/").content.decode()
    last_year = Requirement.objects.get(year=YEAR - 1, target=CORPS)
    assert f"/admin/training/requirements/edit/{last_year.pk}/" in body
    assert f"/admin/training/requirements/edit/{closed[CORPS].pk}/" not in body
    assert f"/admin/training/requirements/delete/{closed[CORPS].pk}/" not in body


def test_admin_copy_forward_into_a_closed_year_is_refused(client, admin_auditor, tree, program09, auditor):
    program09[CORPS].delete()
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    client.force_login(admin_auditor)
    last_year = Requirement.objects.get(year=YEAR - 1, target=CORPS)
    response = client.post(f"/admin/training/requirements/copy-forward/{last_year.pk}/", follow=True)
    assert CLOSED in response.content.decode()
    assert not Requirement.objects.filter(year=YEAR, target=CORPS).exists()


def test_admin_edit_works_again_after_reopening(client, admin_auditor, closed, auditor):
    reopen_year(year=YEAR, by=auditor, reason="Sửa chỉ tiêu")
    client.force_login(admin_auditor)
    corps = closed[CORPS]
    response = client.post(f"/admin/training/requirements/edit/{corps.pk}/", _edit_data(corps, min_hours="8"))
    assert response.status_code == 302
    assert Requirement.objects.get(pk=corps.pk).min_hours == 8
    assert figures()[CORPS] == (2, 0)  # live again: the 4-hour training is now short of 8 hours


def test_seeding_a_closed_year_that_lacks_a_target_is_refused(tree, program09, auditor):
    from django.core.management import CommandError, call_command

    program09[CORPS].delete()
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    with pytest.raises(CommandError, match=CLOSED):
        call_command("seed_requirements", "--year", str(YEAR))
    assert not Requirement.objects.filter(year=YEAR, target=CORPS).exists()
