"""The learner's pages at a small phone's width (375 px): nothing wider than the screen, every
control big enough to tap, and the quiz's two buttons telling saving from submitting."""

import re

from django.core.management import call_command

from e2e.conftest import sign_in

# Width past the screen, and visible controls shorter than 40 px (a row's link counts its row).
LAYOUT = """() => {
  const small = [];
  const controls = [
    '.button', '.option', '.outline__item', '.lesson__nav a', '.result__back a', '.attempt-link'];
  for (const el of document.querySelectorAll(controls.map(c => '#main ' + c).join(', '))) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height < 40) small.push(el.className + ' ' + el.textContent.trim().slice(0, 30));
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small};
}"""


def _check(page):
    layout = page.evaluate(LAYOUT)
    assert layout == {"overflow": 0, "small": []}, page.url


def test_the_learning_pages_fit_a_phone(page):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "hocvien@demo.vn", "HocTap@2026")

    page.goto(f"{page.base_url}/learn/")
    _check(page)
    page.locator(".course-card__title a").first.click()
    _check(page)
    outline = page.locator(".outline__item")
    outline.nth(1).click(position={"x": 300, "y": 8})  # the row's corner, away from its title
    assert page.locator(".lesson__nav").count()
    _check(page)
    page.locator(".outline__item").last.locator("a").click()
    page.locator("#main").get_by_text(re.compile("Bắt đầu làm bài|Tiếp tục làm bài")).first.click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))
    _check(page)
    save = page.locator("button[value=save]")
    colours = save.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert colours[0] == "rgb(255, 255, 255)" and colours[1] != "rgb(255, 255, 255)"
    bar = page.locator(".attempt__bar").bounding_box()
    assert bar["height"] < 60  # the sticky timer and save status take one line, not a third of the screen

    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/result/$"))
    _check(page)
    page.locator(".result__back a").click()  # the quiz page, with its table of attempts
    assert page.locator(".attempt-link").count() == 1
    _check(page)


def test_a_course_withdrawn_during_an_attempt_sends_the_learner_away_with_the_reason(page):
    from courses.models import CoursePage, QuizAttempt

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    course = CoursePage.objects.get(slug="viet-cho-mang-xa-hoi")
    sign_in(page, "hocvien@demo.vn", "HocTap@2026")
    page.goto(f"{page.base_url}{course.url}kiem-tra-cuoi-khoa/")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/learn/attempts/\d+/$"))

    course.unpublish()
    page.locator("input[type=radio]").first.check()  # the autosave is refused
    page.wait_for_url(re.compile(r"/learn/$"))
    assert "Bài kiểm tra này không còn mở" in page.locator(".messages").inner_text()
    attempt = QuizAttempt.objects.get()
    assert attempt.is_open and attempt.answers == {}
