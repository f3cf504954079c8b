"""Results page, scope, free-text listing and the .xlsx export."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from organizations.tests.factories import OfficerFactory, UserFactory
from surveys import services
from surveys.models import SurveySubmission

from .conftest import answer_data


def add_answer(page, officer=None, **answers):
    """An answer sent through the real form and service (anonymous ones stored without an officer)."""
    form = page.get_form(answer_data(**answers), page=page, user=None)
    assert form.is_valid(), form.errors
    if officer is None:
        return SurveySubmission.objects.create(page=page, form_data=form.cleaned_data)
    return services.submit_answer(page=page, form=form, officer=officer)


@pytest.fixture
def answered(make_survey, tree):
    """3 answers from CS-A (district a), 2 from CS-B (district b), 1 anonymous."""
    page = make_survey()
    a = [OfficerFactory(unit=tree["ga"]) for _ in range(3)]
    b = [OfficerFactory(unit=tree["gb"]) for _ in range(2)]
    add_answer(
        page, a[0], topics=["Tuyên truyền miệng", "Quản trị fanpage"], fmt="Trực tuyến", channel="Zalo"
    )
    add_answer(page, a[1], topics=["Quản trị fanpage"], fmt="Trực tuyến", channel="Facebook")
    add_answer(page, a[2], topics=["Viết tin bài trên mạng xã hội"], fmt="Livestream", channel="Zalo")
    add_answer(
        page, b[0], topics=["Tuyên truyền miệng"], fmt="Trực tiếp", channel="Website", comment="Cần tài liệu"
    )
    add_answer(page, b[1], topics=["Quản trị fanpage"], fmt="Trực tiếp", channel="Zalo")
    add_answer(page, None, topics=["Quản trị fanpage"], fmt="Livestream", channel="Bản tin sinh hoạt CĐCS")
    return page


def counts(response):
    return {
        question.label: {choice.label: choice.count for choice in question.choices}
        for question in response.context["results"].choice_questions
    }


def results_url(page, **query):
    url = reverse("surveys:results", args=[page.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_auditor_sees_every_answer_counted_per_choice(client, auditor, answered):
    client.force_login(auditor)
    response = client.get(results_url(answered))

    assert response.status_code == 200
    assert response.context["results"].total == 6
    table = counts(response)
    assert table["Nội dung muốn học"] == {
        "Viết tin bài trên mạng xã hội": 1,
        "Tuyên truyền miệng": 2,
        "Quản trị fanpage": 4,
    }
    assert table["Hình thức"] == {"Trực tuyến": 2, "Trực tiếp": 2, "Livestream": 2}
    assert table["Kênh"] == {"Facebook": 1, "Zalo": 3, "Website": 1, "Bản tin sinh hoạt CĐCS": 1}
    html = response.content.decode()
    assert "Tải Excel (.xlsx)" in html
    assert 'width="66.67"' in html  # the SVG bar of "Quản trị fanpage": 4 of 6
    assert "4 · 66,67%" in html  # two decimals, halves rounded up, the Vietnamese way
    assert "Ẩn danh" in html  # the anonymous answer in the per-unit breakdown


def test_manager_sees_only_their_subtree_and_no_anonymous_answers(client, manager_a, answered):
    client.force_login(manager_a)
    response = client.get(results_url(answered))

    assert response.status_code == 200
    assert response.context["results"].total == 3
    assert counts(response)["Hình thức"] == {"Trực tuyến": 2, "Trực tiếp": 0, "Livestream": 1}
    assert "Cần tài liệu" not in response.content.decode()  # district b's comment


def test_manager_cannot_reach_another_subtree_by_url(client, manager_a, answered, tree):
    client.force_login(manager_a)
    assert client.get(results_url(answered, unit=tree["gb"].pk)).status_code == 404
    assert client.get(results_url(answered, unit=tree["city"].pk)).status_code == 404
    assert client.get(results_url(answered, unit="khong-phai-so")).status_code == 404
    export = reverse("surveys:export", args=[answered.pk]) + f"?unit={tree['b'].pk}"
    assert client.get(export).status_code == 404
    narrowed = client.get(results_url(answered, unit=tree["ga"].pk))
    assert narrowed.status_code == 200
    assert narrowed.context["results"].total == 3


def test_auditor_narrows_results_to_a_unit(client, auditor, answered, tree):
    client.force_login(auditor)
    response = client.get(results_url(answered, unit=tree["b"].pk))
    assert response.context["results"].total == 2
    assert counts(response)["Hình thức"]["Trực tiếp"] == 2


def test_others_get_404(client, learner, answered):
    client.force_login(learner)
    assert client.get(results_url(answered)).status_code == 404
    assert client.get(reverse("surveys:export", args=[answered.pk])).status_code == 404
    assert client.get(reverse("surveys:list")).status_code == 404
    editor = UserFactory(email="bientap@example.vn", is_staff=True)
    client.force_login(editor)
    assert client.get(results_url(answered)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, answered):
    response = client.get(results_url(answered))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_survey_is_404(client, auditor, answered, survey_index):
    client.force_login(auditor)
    assert client.get(reverse("surveys:results", args=[survey_index.pk])).status_code == 404
    assert client.get(reverse("surveys:results", args=[999999])).status_code == 404


def read_export(client, page, **query):
    url = reverse("surveys:export", args=[page.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def export_counts(workbook):
    sheet = workbook["Tổng hợp"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = rows.index(("Câu hỏi", "Lựa chọn", "Số câu trả lời", "Tỷ lệ (%)", "Số người trả lời câu hỏi"))
    table: dict[str, dict[str, tuple]] = {}
    for question, choice, count, percent, _answered in rows[header_at + 1 :]:
        # The number 66.67 (read back as a float) is the screen's 66,67%.
        table.setdefault(question, {})[choice] = (count, Decimal(str(percent)))
    return table


def export_answered(workbook):
    rows = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    start = rows.index(("Câu hỏi", "Lựa chọn", "Số câu trả lời", "Tỷ lệ (%)", "Số người trả lời câu hỏi")) + 1
    return {row[0]: row[4] for row in rows[start:]}


def screen_counts(response):
    return {
        question.label: {choice.label: (choice.count, choice.percent) for choice in question.choices}
        for question in response.context["results"].choice_questions
    }


@pytest.mark.parametrize("who", ["auditor", "manager_a"])
def test_export_equals_the_screen(client, answered, who, request):
    client.force_login(request.getfixturevalue(who))
    screen = client.get(results_url(answered))
    workbook = read_export(client, answered)

    assert export_counts(workbook) == screen_counts(screen)
    answered = {q.label: q.answered for q in screen.context["results"].choice_questions}
    assert export_answered(workbook) == answered
    for label, count in answered.items():  # the "N people answered" line under each question
        assert f"{count} người đã trả lời" in screen.text, label
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(max_row=4, values_only=True)}
    assert summary["Số câu trả lời"] == screen.context["results"].total
    answers = list(workbook["Câu trả lời"].iter_rows(values_only=True))
    assert answers[0][:3] == ("Thời điểm gửi", "Đơn vị", "Nội dung muốn học")
    assert len(answers) - 1 == screen.context["results"].total


def test_export_of_a_narrowed_scope_equals_the_screen(client, auditor, answered, tree):
    client.force_login(auditor)
    screen = client.get(results_url(answered, unit=tree["a"].pk))
    workbook = read_export(client, answered, unit=tree["a"].pk)
    assert export_counts(workbook) == screen_counts(screen)
    assert workbook["Câu trả lời"].max_row - 1 == 3
    assert export_by_unit(workbook) == screen_by_unit(screen) == [(tree["ga"].name, tree["ga"].code, 3)]


def export_by_unit(workbook):
    sheet = workbook["Theo đơn vị"]
    assert next(sheet.iter_rows(max_row=1, values_only=True)) == ("Đơn vị", "Mã đơn vị", "Số câu trả lời")
    return [
        tuple(v if v is not None else "" for v in row) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def screen_by_unit(response):
    return [
        (row.unit.name if row.unit else "Ẩn danh", row.unit.code if row.unit else "", row.count)
        for row in response.context["results"].by_unit
    ]


@pytest.mark.parametrize("who", ["auditor", "manager_a"])
def test_export_has_the_screens_answers_by_unit(client, answered, tree, who, request):
    client.force_login(request.getfixturevalue(who))
    screen = client.get(results_url(answered))
    by_unit = export_by_unit(read_export(client, answered))
    assert by_unit == screen_by_unit(screen)
    if who == "auditor":
        assert by_unit == [
            (tree["a"].name, tree["a"].code, 3),
            (tree["b"].name, tree["b"].code, 2),
            ("Ẩn danh", "", 1),
        ]
    else:
        assert by_unit == [(tree["a"].name, tree["a"].code, 3)]


def test_export_lists_each_answer_with_its_unit(client, auditor, answered, tree):
    client.force_login(auditor)
    answers = list(read_export(client, answered)["Câu trả lời"].iter_rows(min_row=2, values_only=True))
    units = sorted(row[1] for row in answers)
    assert units == sorted([tree["ga"].name] * 3 + [tree["gb"].name] * 2 + ["Ẩn danh"])
    first = answers[0]
    assert first[2] == "Tuyên truyền miệng; Quản trị fanpage"


def test_free_text_is_escaped_on_screen_and_literal_in_the_export(client, auditor, make_survey, tree):
    page = make_survey()
    add_answer(page, OfficerFactory(unit=tree["ga"]), comment="<script>alert('x')</script>")
    add_answer(page, OfficerFactory(unit=tree["gb"]), comment='=HYPERLINK("http://evil","bấm")')
    client.force_login(auditor)

    for url in (results_url(page), reverse("surveys:answers", args=[page.pk, "gop_y_khac"])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html

    sheet = read_export(client, page)["Câu trả lời"]
    comments = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert '\'=HYPERLINK("http://evil","bấm")' in comments  # neutralised: never a live formula
    assert all(cell.data_type == "s" for cell in sheet["F"][1:])


def test_free_text_answers_are_paged(client, auditor, make_survey, tree):
    page = make_survey()
    for number in range(30):
        add_answer(page, OfficerFactory(unit=tree["ga"]), comment=f"Góp ý số {number:02d}")
    add_answer(page, OfficerFactory(unit=tree["ga"]), comment="")  # empty: not listed
    client.force_login(auditor)
    url = reverse("surveys:answers", args=[page.pk, "gop_y_khac"])

    first = client.get(url)
    second = client.get(url + "?page=2")

    assert first.context["page_obj"].paginator.count == 30
    assert len(first.context["answers"]) == 25
    assert [a.text for a in second.context["answers"]] == [f"Góp ý số {n:02d}" for n in range(4, -1, -1)]
    results = client.get(results_url(page))
    assert results.context["results"].text_questions[0].count == 30
    assert "Xem tất cả 30 câu trả lời" in results.content.decode()
    assert client.get(reverse("surveys:answers", args=[page.pk, "hinh_thuc"])).status_code == 404
    assert client.get(reverse("surveys:answers", args=[page.pk, "khong_co"])).status_code == 404


def test_choices_changed_after_answers_show_as_former(client, auditor, answered):
    field = answered.form_fields.get(clean_name="hinh_thuc")
    field.choices = "Trực tuyến\nTrực tiếp"
    field.save()
    client.force_login(auditor)
    question = next(
        q
        for q in client.get(results_url(answered)).context["results"].choice_questions
        if q.name == "hinh_thuc"
    )
    former = [c for c in question.choices if c.is_former_choice]
    assert [(c.label, c.count) for c in former] == [("Livestream", 2)]


def _query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["auditor", "manager_a"])
def test_results_queries_do_not_grow_with_answers(
    client, make_survey, tree, who, request, django_assert_max_num_queries
):
    page = make_survey()
    client.force_login(request.getfixturevalue(who))
    for _ in range(2):
        add_answer(page, OfficerFactory(unit=tree["ga"]), comment="Một")
    urls = [
        results_url(page),
        reverse("surveys:answers", args=[page.pk, "gop_y_khac"]),
        reverse("surveys:export", args=[page.pk]),
        reverse("surveys:list"),
    ]
    [client.get(url) for url in urls]  # warm per-process caches (Wagtail's site root paths)
    small = [_query_count(client, url) for url in urls]
    for index in range(40):
        unit = tree["ga"] if index % 2 else tree["gb"]
        add_answer(page, OfficerFactory(unit=unit), comment=f"Góp ý {index}")
    add_answer(page, None)
    large = [_query_count(client, url) for url in urls]

    assert large == small
    with django_assert_max_num_queries(12):
        client.get(results_url(page))


def test_survey_list_counts_answers_in_scope(client, manager_a, answered):
    client.force_login(manager_a)
    response = client.get(reverse("surveys:list"))
    assert response.status_code == 200
    assert answered.title in response.content.decode()
    assert response.context["rows"] == [(answered, 3)]


def test_survey_list_marks_drafts_and_puts_them_after_published_surveys(
    client, auditor, answered, make_survey, django_assert_num_queries
):
    # A draft opening later than the published survey: newest first would put it on top.
    draft = make_survey(slug="nhap", live=False, opens_in_days=30, closes_in_days=60)
    client.force_login(auditor)
    response = client.get(reverse("surveys:list"))
    assert [survey.pk for survey, _count in response.context["rows"]] == [answered.pk, draft.pk]
    published_card, draft_card = response.content.decode().split('<div class="card">')[1:]
    assert "Bản nháp: chưa xuất bản" in draft_card and "Mở trang khảo sát" not in draft_card
    assert "Chưa mở" not in draft_card  # the dates alone do not make a draft "not yet open"
    assert "Bản nháp" not in published_card and "Đang mở" in published_card
    assert "Mở trang khảo sát" in published_card
    # Its results page says so too.
    results = client.get(reverse("surveys:results", args=[draft.pk]))
    assert "Bản nháp: chưa xuất bản" in results.content.decode()
    # The list's query count does not grow with more surveys, published or not.
    small = _query_count(client, reverse("surveys:list"))
    more = [make_survey(slug=f"them-{n}", live=n % 2 == 0) for n in range(4)]
    with django_assert_num_queries(small):
        assert len(client.get(reverse("surveys:list")).context["rows"]) == 2 + len(more)


def test_the_admin_answers_link_is_offered_only_to_those_it_opens_for(
    client, admin_manager, auditor, answered
):
    from django.contrib.auth.models import Permission

    listing = reverse("wagtailforms:list_submissions", args=[answered.pk])
    client.force_login(admin_manager)  # may use the admin, but the listing refuses managers
    assert listing not in client.get(results_url(answered)).text
    assert client.get(listing).status_code in (302, 403)
    auditor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(auditor)
    assert listing in client.get(results_url(answered)).text
