"""An officer answers the needs survey on a phone; an auditor reads the results."""

import os
from datetime import timedelta

from django.utils import timezone

from e2e.conftest import sign_in
from lms.models import HomePage
from surveys.models import Audience, SurveyFormField, SurveyIndexPage, SurveyPage, SurveySubmission

SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")


def _survey():
    home = HomePage.objects.get(depth=2)
    index = SurveyIndexPage(title="Khảo sát", slug="khao-sat")
    home.add_child(instance=index)
    today = timezone.localdate()
    survey = SurveyPage(
        title="Khảo sát nhu cầu bồi dưỡng kỹ năng truyền thông năm 2026",
        slug="nhu-cau-2026",
        audience=Audience.OFFICERS,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    survey.form_fields = [
        SurveyFormField(
            label="Nội dung muốn học",
            field_type="checkboxes",
            choices="Viết tin bài trên mạng xã hội\nTuyên truyền miệng\nQuản trị fanpage",
        ),
        SurveyFormField(label="Hình thức", field_type="radio", choices="Trực tuyến\nTrực tiếp\nLivestream"),
        SurveyFormField(
            label="Kênh", field_type="dropdown", choices="Facebook\nZalo\nWebsite\nBản tin sinh hoạt CĐCS"
        ),
        SurveyFormField(label="Góp ý khác", field_type="multiline", required=False),
    ]
    index.add_child(instance=survey)
    return survey


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_answers_once_and_auditor_sees_the_chart(page, learner, auditor):
    survey = _survey()
    sign_in(page, "learner@example.vn")
    page.goto(page.base_url + survey.url)
    page.get_by_label("Quản trị fanpage").check()
    page.get_by_label("Tuyên truyền miệng").check()
    page.get_by_label("Livestream").check()
    page.select_option("select[name=kenh]", "Zalo")
    page.fill("textarea[name=gop_y_khac]", "Học vào buổi tối <b>thứ Bảy</b>")
    assert _fits_the_phone(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/survey-form.png", full_page=True)
    page.click(".survey__submit")
    page.wait_for_load_state()
    assert "câu trả lời của bạn đã được ghi nhận" in page.inner_text("main")

    page.goto(page.base_url + survey.url)
    assert "Bạn đã trả lời khảo sát này" in page.inner_text("main")
    assert page.locator(".survey__form").count() == 0
    assert SurveySubmission.objects.filter(page=survey).count() == 1

    page.context.clear_cookies()
    sign_in(page, "auditor@example.vn")
    page.goto(f"{page.base_url}/surveys/{survey.pk}/results/")
    assert page.locator(".results__bar").count() == 10
    assert "Học vào buổi tối <b>thứ Bảy</b>" in page.inner_text("main")
    assert _fits_the_phone(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/survey-results.png", full_page=True)
    with page.expect_download() as download:
        page.click("text=Tải Excel (.xlsx)")
    assert download.value.suggested_filename.endswith(".xlsx")
