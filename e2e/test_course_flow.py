"""A demo learner finishes a course on a phone: lessons, the final quiz, and sees it completed."""

import json
import re
import uuid

from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import CoursePage, QuizAttempt
from e2e.conftest import sign_in
from training.models import TrainingRecord


def test_demo_learner_completes_a_course(page):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    course = CoursePage.objects.get(slug="viet-cho-mang-xa-hoi")
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, "hocvien@demo.vn", "HocTap@2026")
    page.goto(f"{page.base_url}/learn/")
    expect(page.get_by_role("heading", name="Học tập của tôi")).to_be_visible()
    expect(page.get_by_text("Tiếp tục từ chỗ bạn dừng lại")).to_be_visible()
    page.locator(".resume .button").click()

    # Read each lesson and mark it complete; the button moves on to the next step.
    while page.get_by_role("button", name=re.compile("Đánh dấu hoàn thành bài học")).count():
        page.get_by_role("button", name=re.compile("Đánh dấu hoàn thành bài học")).click()
        page.wait_for_load_state()
        expect(page.locator(".messages")).to_contain_text("Đã hoàn thành bài học")

    expect(page.get_by_role("heading", name=course.title.split(":")[0], exact=False).first).to_be_visible()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    expect(page.locator(".attempt__timer")).to_be_visible()

    attempt = QuizAttempt.objects.get(officer__user__email="hocvien@demo.vn")
    for question in attempt.questions:
        name = f"q-{question['id']}"
        if question["type"] == "short_answer":
            page.fill(f"input[name='{name}']", question["accepted"][0])
        elif question["type"] == "true_false":
            page.check(f"input[name='{name}'][value='{question['answer']}']")
        else:
            for option in question["options"]:
                if option["correct"]:
                    page.check(f"input[name='{name}'][value='{option['key']}']")
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/result/$"))
    expect(page.locator(".result__score")).to_have_text("100%")
    expect(page.get_by_text("Bạn đã hoàn thành khoá học.")).to_be_visible()

    page.goto(f"{page.base_url}/learn/")
    completed = page.locator(".completed-list")
    expect(completed).to_contain_text(course.title)
    expect(completed).to_contain_text("Đã hoàn thành")
    assert TrainingRecord.objects.filter(officer__user__email="hocvien@demo.vn", course=course).count() == 1


LONG_LINK = "https://www.facebook.com/congdoanhanoi/posts/pfbid02xKq7vWm3Lz9aTbR8nYcD4eFgHiJkLmNoPqRsTuVwXyZ"


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def test_every_lesson_block_and_a_quiz_fit_a_phone_screen(page, learner):
    """Each block type renders and a long link wraps instead of widening the page at 375 px."""
    from courses import services
    from courses.tests.conftest import build_course, single
    from courses.tests.test_views import rich_lesson_body

    _, lessons, quiz = build_course(
        lessons=1,
        questions=[single(f"Đường dẫn nào là trang chính thức? {LONG_LINK}", [LONG_LINK, "Không"], 0)],
    )
    body = json.loads(rich_lesson_body(1))
    body.insert(
        1, {"type": "paragraph", "value": f"<p>Xem bài mẫu: {LONG_LINK}</p>", "id": str(uuid.uuid4())}
    )
    next(b for b in body if b["type"] == "example_post")["value"]["text"] = f"Mời đoàn viên đọc: {LONG_LINK}"
    lessons[0].body = json.dumps(body)
    lessons[0].save_revision().publish()
    attempt = services.start_attempt(officer=learner.officer, quiz=quiz)

    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "learner@example.vn")
    page.goto(page.base_url + lessons[0].url)
    expect(page.locator("figure.lesson-figure figcaption").first).to_have_text("Chú thích 0")
    expect(page.locator("video[poster]")).to_be_visible()
    expect(page.locator("a[download]")).to_contain_text("Tài liệu 0")
    expect(page.locator(".callout")).to_contain_text("Viết ngắn.")
    expect(page.locator(".post--zalo .post__text")).to_contain_text("Mời đoàn viên đọc")
    expect(page.get_by_role("button", name=re.compile("Đánh dấu hoàn thành bài học"))).to_be_visible()
    _fits_the_screen(page)

    page.goto(f"{page.base_url}/learn/attempts/{attempt.pk}/")
    expect(page.locator(".question__prompt")).to_contain_text("trang chính thức")
    _fits_the_screen(page)
