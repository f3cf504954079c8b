"""The site history's CSV/XLSX export (Wagtail's, reused for the scoped history) writes names typed
as formulas as neutralised text, like every other export."""

import pytest

from core.tests.hostile import HOSTILE, HYPERLINK, assert_neutralised, texts_in_csv, texts_in_xlsx

from .factories import OfficerFactory


@pytest.fixture
def hostile_history(tree, admin_auditor):
    from wagtail.log_actions import log

    for key, name in (("a", HYPERLINK), ("ga", "\tx"), ("gb", "\rx")):
        tree[key].name = name
        tree[key].save()
        log(instance=tree[key], action="wagtail.edit", user=admin_auditor)
    admin_auditor.first_name, admin_auditor.last_name = "", "@SUM(A1)"
    admin_auditor.save()
    for family_name, unit in (("+1", tree["ga"]), ("-2", tree["gb"])):
        officer = OfficerFactory(unit=unit, family_name=family_name, middle_name="", given_name="")
        log(instance=officer, action="wagtail.edit", user=admin_auditor)
    return tree


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_site_history_export_neutralises_every_hostile_value(client, admin_auditor, hostile_history, fmt):
    client.force_login(admin_auditor)
    response = client.get("/admin/reports/site-history/", {"export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    texts = texts_in_xlsx(content) if fmt == "xlsx" else texts_in_csv(content)
    assert_neutralised(texts, HOSTILE, xlsx=fmt == "xlsx")


def test_the_roster_template_is_written_by_the_safe_writer_and_holds_no_formula(client, auditor, tree):
    from django.urls import reverse

    client.force_login(auditor)
    response = client.get(reverse("organizations:import_template"))
    texts = texts_in_xlsx(response.content)
    assert "Hướng dẫn nhập danh sách cán bộ" in texts and "Mã cán bộ" in texts
    assert_neutralised(texts, ())
