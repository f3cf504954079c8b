"""The demo learner, required by Program 09, sees the courses assigned to them on /learn/ (375 px)."""

import re

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import sign_in

# Width past the screen, and buttons shorter than 40 px.
LAYOUT = """() => {
  const small = [];
  for (const el of document.querySelectorAll('#main .required .button')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height < 40) small.push(el.textContent.trim());
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small};
}"""


def test_the_demo_learner_sees_the_required_courses_with_their_deadline(page):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))
    year = timezone.localdate().year
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, "hocvien@demo.vn", "HocTap@2026")

    page.goto(f"{page.base_url}/learn/")
    block = page.locator("[data-testid=required-courses]")
    expect(block.get_by_role("heading", name=f"Bắt buộc năm {year}")).to_be_visible()
    # /learn/ opens with it: the first section of the page.
    assert page.locator("#main section").first.get_attribute("data-testid") == "required-courses"
    items = block.locator(".required__item")
    expect(items).to_have_count(3)  # two courses for target 2, one for target 3
    for title in (
        "Viết bài tuyên truyền trên mạng xã hội: Facebook và Zalo",
        "Tuyên truyền miệng và nói chuyện với công nhân",
        "Xây dựng hình ảnh cá nhân uy tín và vận hành fanpage công đoàn",
    ):
        item = items.filter(has_text=title)
        expect(item).to_contain_text(f"Hạn hoàn thành: 31/12/{year}")
        expect(item.locator(".badge")).to_have_text(re.compile("Chưa bắt đầu|Đang học"))
    assert page.evaluate(LAYOUT) == {"overflow": 0, "small": []}

    # Starting one opens its course page; back on /learn/ it is "Đang học" once a lesson is opened.
    oral = items.filter(has_text="Tuyên truyền miệng")
    expect(oral.locator(".badge")).to_have_text("Chưa bắt đầu")
    oral.get_by_role("link", name="Bắt đầu").click()
    expect(page.locator("h1")).to_contain_text("Tuyên truyền miệng")
    page.locator("#main").get_by_role("button", name="Ghi danh vào khoá học").click()
    page.locator(".outline__item a").first.click()
    page.goto(f"{page.base_url}/learn/")
    oral = page.locator("[data-testid=required-courses] .required__item").filter(
        has_text="Tuyên truyền miệng"
    )
    expect(oral.locator(".badge")).to_have_text("Đang học")
    expect(oral.get_by_role("link", name="Tiếp tục")).to_be_visible()
