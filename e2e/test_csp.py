"""Each persona's main pages work in Chromium under the Content-Security-Policy: no violation
reported, no script error, and the script-driven parts (quiz autosave, charts, the Wagtail page
editor) still run."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import sign_in

# Reported from inside each page: the browser fires securitypolicyviolation for every blocked
# script, style, image, frame or connection.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
                ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Console:
    """What a page wrote to the console and the errors it threw, per URL."""

    def __init__(self, page):
        self.messages: list[tuple[str, str, str]] = []
        page.on("console", lambda message: self.messages.append((message.type, message.text, page.url)))
        page.on("pageerror", lambda error: self.messages.append(("pageerror", str(error), page.url)))
        page.add_init_script(LISTEN_FOR_VIOLATIONS)

    def violations(self) -> list:
        return [m for m in self.messages if "CSP violation" in m[1] or "Content Security Policy" in m[1]]

    def errors(self) -> list:
        return [m for m in self.messages if m[0] in ("error", "pageerror")]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture
def open_as(browser, live_server, demo):
    """A phone-sized page signed in as a demo persona (passing the TOTP step if asked)."""
    contexts = []

    def open_as(email: str):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        console = Console(page)
        sign_in(page, email, "HocTap@2026")
        if "/2fa/" in page.url:
            from allauth.mfa.totp.internal.auth import (
                format_hotp_value,
                hotp_value,
                yield_hotp_counters_from_time,
            )

            from demo.organizations import DEMO_TOTP_SECRET

            counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
            page.fill("input[name=code]", format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
            page.click("#main button[type=submit]")
            page.wait_for_load_state()
        assert "/accounts/" not in page.url, page.url
        return page, console

    yield open_as
    for context in contexts:
        context.close()


def visit(page, path: str):
    response = page.goto(f"{page.base_url}{path}")
    assert response.status == 200, (path, response.status)
    assert "script-src 'self'" in response.header_value("content-security-policy"), path
    page.wait_for_load_state("networkidle")
    return response


def test_learner_pages_work_under_the_policy(open_as):
    from courses.models import LessonPage, QuizPage

    page, console = open_as("hocvien@demo.vn")
    visit(page, "/learn/")
    expect(page.get_by_role("heading", name="Học tập của tôi")).to_be_visible()

    lesson = LessonPage.objects.live().first()
    visit(page, lesson.url)
    expect(page.locator("h1")).to_contain_text(lesson.title)

    # The quiz's own script (timer and autosave) runs.
    quiz = QuizPage.objects.live().first()
    visit(page, quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    expect(page.locator(".attempt__timer")).to_be_visible()
    expect(page.locator(".attempt__timer")).not_to_be_empty()
    page.locator("input[type=radio], input[type=checkbox]").first.check()
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")

    visit(page, "/certificates/")
    visit(page, "/verify/")
    assert console.violations() == []
    assert console.errors() == []


def test_auditor_pages_and_charts_work_under_the_policy(open_as):
    page, console = open_as("tuyengiao@demo.vn")
    visit(page, "/audit/")
    expect(page.locator(".audit-headline")).to_contain_text("Mục tiêu 2")
    # A headline bar is as wide as its figure, without a style attribute.
    bar = page.locator(".audit-headline .progress__bar").first
    pct = int(bar.get_attribute("data-pct"))
    track = page.locator(".audit-headline .progress").first.bounding_box()["width"]
    assert abs(bar.bounding_box()["width"] - track * pct / 100) <= 2

    page.get_by_role("link", name="Biểu đồ").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("svg.chart rect").count() >= 3

    visit(page, "/roster/officers/")
    visit(page, "/roster/units/")
    assert console.violations() == []
    assert console.errors() == []

    visit(page, "/admin/")
    expect(page.locator("main")).to_be_visible()
    assert console.violations() == []


def test_manager_pages_work_under_the_policy(open_as):
    page, console = open_as("quanly@demo.vn")
    visit(page, "/audit/")
    visit(page, "/roster/officers/")
    visit(page, "/roster/import/")
    assert console.violations() == []
    assert console.errors() == []


def test_the_wagtail_page_editor_works_under_the_admin_policy(open_as):
    from courses.models import CoursePage, LessonPage

    page, console = open_as("bientap@demo.vn")
    visit(page, "/admin/")
    lesson = LessonPage.objects.live().first()
    visit(page, f"/admin/pages/{lesson.pk}/edit/")
    form = page.locator("form[data-edit-form], #page-edit-form").first
    expect(form).to_be_visible()
    # The title field and the body's blocks are drawn by Wagtail's scripts.
    expect(page.locator("#id_title")).to_have_value(lesson.title)
    expect(page.locator("[data-streamfield-stream-container], .w-field--stream_field").first).to_be_visible()
    # The preview panel frames the page as the site renders it.
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("iframe[data-w-preview-target='iframe'], #w-preview-iframe").first
    expect(preview.locator("h1")).to_contain_text(lesson.title)

    course = CoursePage.objects.live().first()
    visit(page, f"/admin/pages/{course.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(course.title)
    visit(page, f"/admin/pages/{course.get_parent().pk}/")
    expect(page.locator("main")).to_contain_text(course.title)
    assert console.violations() == []
