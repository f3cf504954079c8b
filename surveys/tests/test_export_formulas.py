"""A survey title, question label, choice, unit name or answer typed as a formula is written as
neutralised text by both survey exports: the results workbook of /surveys/ and Wagtail's CSV/XLSX
download of the answers in the admin. Counts and shares stay numbers."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.hostile import HOSTILE, HYPERLINK, assert_neutralised, texts_in_csv, texts_in_xlsx
from organizations.scope import AUDITOR_GROUP
from organizations.tests.factories import OfficerFactory
from surveys.models import SurveyFormField

from .conftest import FORMATS
from .test_admin import editor_user


@pytest.fixture
def hostile_survey(make_survey, tree):
    page = make_survey(slug="cong-thuc")
    page.title = HYPERLINK
    page.save_revision().publish()
    page.form_fields.all().delete()
    SurveyFormField.objects.create(
        page=page, sort_order=0, label="@SUM(A1)", field_type="checkboxes", choices="+1\nKhác"
    )
    SurveyFormField.objects.create(
        page=page, sort_order=1, label="Hình thức", field_type="radio", choices="\n".join(FORMATS)
    )
    SurveyFormField.objects.create(
        page=page, sort_order=2, label="Góp ý", field_type="multiline", required=False
    )
    tree["ga"].name, tree["gb"].name = "\tx", "\rx"
    tree["ga"].save()
    tree["gb"].save()
    data = {"suma1": ["+1"], "hinh_thuc": "Trực tuyến", "gop_y": "-2"}
    for unit in (tree["ga"], tree["gb"]):
        add_answer_data(page, OfficerFactory(unit=unit), data)
    return page


def add_answer_data(page, officer, data):
    from surveys import services

    form = page.get_form(data, page=page, user=None)
    assert form.is_valid(), form.errors
    return services.submit_answer(page=page, form=form, officer=officer)


def test_the_results_workbook_neutralises_every_hostile_value(client, auditor, hostile_survey):
    client.force_login(auditor)
    response = client.get(reverse("surveys:export", args=[hostile_survey.pk]))
    assert response.status_code == 200
    assert_neutralised(texts_in_xlsx(response.content), HOSTILE, xlsx=True)
    summary = load_workbook(BytesIO(response.content))["Tổng hợp"]
    plus_one = next(row for row in summary.iter_rows() if row[1].value == "'+1")
    assert [(c.value, c.data_type) for c in plus_one[2:]] == [(2, "n"), (100, "n"), (2, "n")]
    assert plus_one[3].number_format == "0.00"  # the share shows 100.00


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_download_of_the_answers_neutralises_every_hostile_value(client, hostile_survey, fmt):
    client.force_login(editor_user("kiemtra@example.vn", AUDITOR_GROUP))
    url = reverse("wagtailforms:list_submissions", args=[hostile_survey.pk])
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    texts = texts_in_xlsx(content) if fmt == "xlsx" else texts_in_csv(content)
    # The admin lists the answers (labels, units, answers), not the survey's title.
    assert_neutralised(texts, ("@SUM(A1)", "+1", "-2", "\tx", "\rx"), xlsx=fmt == "xlsx")
