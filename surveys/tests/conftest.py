"""Survey fixtures: a survey index under the home page and a survey factory."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lms.models import HomePage
from surveys.models import Audience, SurveyFormField, SurveyIndexPage, SurveyPage

TOPICS = ["Viết tin bài trên mạng xã hội", "Tuyên truyền miệng", "Quản trị fanpage"]
FORMATS = ["Trực tuyến", "Trực tiếp", "Livestream"]
CHANNELS = ["Facebook", "Zalo", "Website", "Bản tin sinh hoạt CĐCS"]


@pytest.fixture
def survey_index(db):
    home = HomePage.objects.get(depth=2)
    index = SurveyIndexPage(title="Khảo sát", slug="khao-sat")
    home.add_child(instance=index)
    return index


@pytest.fixture
def make_survey(survey_index):
    """Build a published survey with a checkbox, a radio and a free-text question."""

    def make(audience=Audience.OFFICERS, opens_in_days=-1, closes_in_days=30, slug="nhu-cau", **extra):
        today = timezone.localdate()
        page = SurveyPage(
            title="Khảo sát nhu cầu bồi dưỡng",
            slug=slug,
            audience=audience,
            opens_on=today + timedelta(days=opens_in_days),
            closes_on=today + timedelta(days=closes_in_days),
            **extra,
        )
        page.form_fields = [
            SurveyFormField(label="Nội dung muốn học", field_type="checkboxes", choices="\n".join(TOPICS)),
            SurveyFormField(label="Hình thức", field_type="radio", choices="\n".join(FORMATS)),
            SurveyFormField(label="Kênh", field_type="dropdown", choices="\n".join(CHANNELS)),
            SurveyFormField(label="Góp ý khác", field_type="multiline", required=False),
        ]
        survey_index.add_child(instance=page)
        return page

    return make


def answer_data(topics=("Tuyên truyền miệng",), fmt="Trực tuyến", channel="Zalo", comment=""):
    return {
        "noi_dung_muon_hoc": list(topics),
        "hinh_thuc": fmt,
        "kenh": channel,
        "gop_y_khac": comment,
    }
