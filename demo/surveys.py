"""Demo survey: the 2026 needs survey on communication skills, with ~40 answers.

Deterministic (fixed random seed, officers taken in code order) and idempotent:
the index and survey are found by slug, and an officer who already answered is
skipped, so a second run changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from demo.home import home_page
from organizations.models import Officer, Unit
from surveys.models import Audience, SurveyFormField, SurveyIndexPage, SurveyPage, SurveySubmission

INDEX_SLUG = "khao-sat"
SURVEY_SLUG = "nhu-cau-boi-duong-ky-nang-truyen-thong-2026"
SURVEY_TITLE = "Khảo sát nhu cầu bồi dưỡng kỹ năng truyền thông năm 2026"
OPENS_ON = date(2026, 1, 5)
CLOSES_ON = date(2026, 12, 31)
ANSWERS = 40
MANAGER_UNIT = "LDLD-CAUGIAY"  # the demo manager's subtree gets some answers

TOPICS = {
    "Viết tin bài trên mạng xã hội": 0.65,
    "Tuyên truyền miệng": 0.35,
    "Xây dựng hình ảnh cá nhân": 0.3,
    "Truyền thông đa phương tiện (ảnh, video ngắn)": 0.55,
    "Quản trị fanpage và nhóm Zalo của công đoàn": 0.45,
    "Nhận diện và xử lý thông tin xấu, độc trên mạng": 0.4,
    "Nắm bắt dư luận xã hội trong đoàn viên, người lao động": 0.25,
}
FORMATS = {"Trực tuyến": 0.45, "Trực tiếp": 0.35, "Livestream": 0.2}
CHANNELS = {"Facebook": 0.8, "Zalo": 0.85, "Website": 0.3, "Bản tin sinh hoạt CĐCS": 0.25}
DURATIONS = {"Dưới 2 giờ": 0.3, "Nửa buổi đến một buổi": 0.45, "Một ngày": 0.2, "Hai ngày trở lên": 0.05}
SUGGESTIONS = [
    "Mong có thêm các buổi thực hành quay, dựng video ngắn bằng điện thoại.",
    "Đề nghị tổ chức lớp vào cuối tuần để công nhân làm ca có thể tham gia.",
    "Cần tài liệu mẫu về cách viết tin nhanh về hoạt động của công đoàn cơ sở.",
    "Nên mời phóng viên Báo Lao động Thủ đô chia sẻ kinh nghiệm viết bài.",
    "Mong được hướng dẫn cách phản bác các thông tin sai lệch về chính sách tiền lương.",
    "Đề xuất lập nhóm Zalo chung cho tuyên truyền viên các công đoàn cơ sở trong quận.",
    "Thời lượng học trực tuyến nên ngắn, chia thành nhiều buổi.",
    "Cần hướng dẫn bảo mật tài khoản fanpage, tránh bị chiếm quyền quản trị.",
]

QUESTIONS = [
    (
        "Anh/chị muốn được bồi dưỡng những nội dung nào?",
        "checkboxes",
        list(TOPICS),
        True,
        "Có thể chọn nhiều nội dung.",
    ),
    ("Hình thức bồi dưỡng phù hợp nhất với anh/chị", "radio", list(FORMATS), True, ""),
    (
        "Anh/chị thường tiếp nhận và chia sẻ thông tin công đoàn qua kênh nào?",
        "checkboxes",
        list(CHANNELS),
        True,
        "Có thể chọn nhiều kênh.",
    ),
    ("Thời lượng mỗi đợt bồi dưỡng anh/chị mong muốn", "dropdown", list(DURATIONS), True, ""),
    (
        "Đề xuất khác của anh/chị (nếu có)",
        "multiline",
        [],
        False,
        "Ví dụ: thời gian, địa điểm, giảng viên, tài liệu mong muốn.",
    ),
]

INTRO = (
    "<p>Thực hiện Chương trình số 09/CTr-LĐLĐ, Ban Tuyên giáo LĐLĐ thành phố Hà Nội khảo sát nhu cầu "
    "bồi dưỡng kỹ năng truyền thông của đội ngũ cán bộ Tuyên giáo, báo cáo viên, tuyên truyền viên và "
    "cộng tác viên dư luận xã hội để xây dựng kế hoạch tập huấn năm 2026.</p>"
    "<p>Mỗi cán bộ trả lời một lần, mất khoảng 3 phút.</p>"
)
THANK_YOU = (
    "<p>Ý kiến của anh/chị sẽ được tổng hợp để xây dựng nội dung và hình thức các lớp bồi dưỡng "
    "phù hợp với thực tiễn cơ sở.</p>"
)


def _survey_index(home: Page) -> SurveyIndexPage:
    index = SurveyIndexPage.objects.child_of(home).filter(slug=INDEX_SLUG).first()
    if index is None:
        index = SurveyIndexPage(
            title="Khảo sát",
            slug=INDEX_SLUG,
            intro="<p>Các cuộc khảo sát nhu cầu của đoàn viên, cán bộ công đoàn Thủ đô.</p>",
        )
        home.add_child(instance=index)
    return index


def _survey(index: SurveyIndexPage) -> SurveyPage:
    survey = SurveyPage.objects.filter(slug=SURVEY_SLUG).first()
    if survey is not None:
        return survey
    # Keep the demo survey open when the demo is built after its planned close date.
    closes_on = max(CLOSES_ON, timezone.localdate() + timedelta(days=60))
    survey = SurveyPage(
        title=SURVEY_TITLE,
        slug=SURVEY_SLUG,
        intro=INTRO,
        thank_you_text=THANK_YOU,
        audience=Audience.OFFICERS,
        opens_on=OPENS_ON,
        closes_on=closes_on,
    )
    survey.form_fields = [
        SurveyFormField(
            label=label, field_type=kind, choices="\n".join(choices), required=required, help_text=help_text
        )
        for label, kind, choices, required, help_text in QUESTIONS
    ]
    index.add_child(instance=survey)
    survey.save_revision().publish()
    return survey


def _pick(rng: random.Random, weights: dict[str, float]) -> list[str]:
    chosen = [option for option, weight in weights.items() if rng.random() < weight]
    return chosen or [max(weights, key=weights.get)]


def _one(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _respondents(rng: random.Random) -> list[Officer]:
    officers = Officer.objects.filter(code__startswith="CB").select_related("unit").order_by("code")
    manager_unit = Unit.objects.filter(code=MANAGER_UNIT).first()
    local = [o for o in officers if manager_unit and o.unit.path.startswith(manager_unit.path)]
    others = [o for o in officers if o not in local]
    chosen = local[:8] + rng.sample(others, min(len(others), ANSWERS - len(local[:8])))
    return sorted(chosen, key=lambda o: o.code)


def _answers(survey: SurveyPage, rng: random.Random) -> int:
    names = [field.clean_name for field in survey.get_form_fields()]
    answered = set(SurveySubmission.objects.filter(page=survey).values_list("officer_id", flat=True))
    start = timezone.make_aware(datetime.combine(OPENS_ON, time(8, 0)))
    created = 0
    for number, officer in enumerate(_respondents(rng)):
        # Draw for every respondent, answered or not, so a re-run draws the same values.
        data = dict(
            zip(
                names,
                [
                    _pick(rng, TOPICS),
                    _one(rng, FORMATS),
                    _pick(rng, CHANNELS),
                    _one(rng, DURATIONS),
                    rng.choice(SUGGESTIONS) if rng.random() < 0.35 else "",
                ],
                strict=True,
            )
        )
        # Keep each list in the order the choices are shown, as the form would.
        for name, options in ((names[0], list(TOPICS)), (names[2], list(CHANNELS))):
            data[name] = [option for option in options if option in data[name]]
        if officer.pk in answered:
            continue
        submission = SurveySubmission.objects.create(
            page=survey, form_data=data, officer=officer, unit_id=officer.unit_id, user_id=officer.user_id
        )
        sent = start + timedelta(days=number * 3, hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        SurveySubmission.objects.filter(pk=submission.pk).update(submit_time=sent)
        created += 1
    return created


@transaction.atomic
def seed() -> SurveyPage | None:
    home = home_page()
    if home is None:
        return None
    survey = _survey(_survey_index(home))
    _answers(survey, random.Random(202601))
    return survey
