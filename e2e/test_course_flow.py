"""A demo learner finishes a course on a phone: lessons, the final quiz, and sees it completed."""

import re

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
