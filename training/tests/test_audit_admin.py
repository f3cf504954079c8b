"""Auditors edit requirement rules in the Wagtail admin and copy a year forward."""

from training.models import Requirement

from .audit_helpers import (
    YEAR,
    program09_fixture,  # noqa: F401  (fixture)
)


def test_auditor_lists_and_copies_a_year_forward(client, admin_auditor, program09):
    client.force_login(admin_auditor)
    index = client.get("/admin/training/requirements/")
    assert index.status_code == 200
    requirement = program09["corps"]
    requirement.min_hours = 8
    requirement.save()
    url = f"/admin/training/requirements/copy-forward/{requirement.pk}/"
    assert client.get(url).status_code == 200
    client.post(url)
    copied = Requirement.objects.get(year=YEAR + 1, target="corps")
    assert copied.min_hours == 8 and copied.rules.count() == requirement.rules.count()
    assert str(copied.deadline) == f"{YEAR + 1}-12-31"
    client.post(url)  # idempotent
    assert Requirement.objects.filter(year=YEAR + 1).count() == 3


def test_edit_form_opens(client, admin_auditor, program09):
    client.force_login(admin_auditor)
    response = client.get(f"/admin/training/requirements/edit/{program09['staffing'].pk}/")
    assert response.status_code == 200


def test_without_permission_no_copy(client, manager_a, program09):
    client.force_login(manager_a)
    response = client.post(f"/admin/training/requirements/copy-forward/{program09['corps'].pk}/")
    assert response.status_code in (302, 403)
    assert not Requirement.objects.filter(year=YEAR + 1).exists()


def test_an_edit_posted_in_the_admin_changes_the_audit(client, admin_auditor, tree, program09):
    """Raising the corps target's minimum hours to 8 leaves a 4-hour training short of it."""
    from datetime import date

    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from organizations.models import Role

    from .audit_helpers import officer_with, record

    officer = officer_with(tree["gb"], Role.REPORTER, given_name="Hà")
    record(officer, date(YEAR, 4, 1), hours=4)
    client.force_login(admin_auditor)

    def corps_figure():
        figure = client.get("/audit/", {"year": YEAR}).context["headline"]["corps"]
        return figure.required, figure.done

    assert corps_figure() == (1, 1)
    requirement = program09["corps"]
    rules = list(requirement.rules.all())
    data = nested_form_data(
        {
            "year": YEAR,
            "target": "corps",
            "title": requirement.title,
            "min_trainings": 1,
            "min_hours": "8",
            "deadline": f"{YEAR}-12-31",
            "notes": "",
            "rules": inline_formset(
                [
                    {"id": r.pk, "role": r.role, "unit_level": r.unit_level, "min_workers": r.min_workers}
                    for r in rules
                ],
                initial=len(rules),
            ),
            "course_links": inline_formset([]),
        }
    )
    response = client.post(f"/admin/training/requirements/edit/{requirement.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    requirement.refresh_from_db()
    assert requirement.min_hours == 8 and requirement.rules.count() == len(rules)
    assert corps_figure() == (1, 0)
    # A second 4-hour training brings the officer to the 8 hours now required.
    record(officer, date(YEAR, 9, 1), hours=4, title="Lớp thứ hai")
    assert corps_figure() == (1, 1)


def test_a_deadline_outside_the_year_is_refused_in_the_admin(client, admin_auditor, program09):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    requirement = program09["corps"]
    rules = list(requirement.rules.all())

    def post(**fields):
        data = {
            "year": YEAR,
            "target": "corps",
            "title": requirement.title,
            "min_trainings": 1,
            "min_hours": "0",
            "deadline": f"{YEAR}-12-31",
            "notes": "",
            **fields,
        }
        data["course_links"] = inline_formset([])
        data["rules"] = inline_formset(
            [
                {"id": r.pk, "role": r.role, "unit_level": r.unit_level, "min_workers": r.min_workers}
                for r in rules
            ],
            initial=len(rules),
        )
        return client.post(f"/admin/training/requirements/edit/{requirement.pk}/", nested_form_data(data))

    client.force_login(admin_auditor)
    response = post(deadline=f"{YEAR + 1}-03-31")
    assert response.status_code == 200
    assert f"Hạn hoàn thành phải nằm trong năm {YEAR}" in response.content.decode()
    response = post(year=26)
    assert "Nhập năm từ 2000 đến 2100." in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.year == YEAR and str(requirement.deadline) == f"{YEAR}-12-31"
    assert post(deadline=f"{YEAR}-06-30").status_code == 302
