"""The learner's path on a phone, end to end with a real Celery worker: sign-in lands on /learn/,
"Tiếp tục" leads through the course, the quiz's result page offers the certificate (first "being
prepared", then the link, without reloading by hand), and the course is listed under "Đã hoàn
thành". Screenshots of the dashboard and a lesson at both widths go to var/e2e-artifacts/."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from courses.tests.conftest import home_page
from demo import courses as courses_demo
from demo import organizations as organizations_demo
from e2e.conftest import sign_in
from e2e.phone import DESKTOP, PHONE, artefact, scrolls_sideways
from e2e.test_certificates import pass_first_demo_course
from lms.testing.servers import celery_worker


def test_sign_in_to_certificate_without_a_dead_end(page, settings):
    home_page()
    Group.objects.get_or_create(name="Editors")
    organizations_demo.seed()
    courses_demo.seed()
    settings.SITE_URL = page.base_url
    page.set_viewport_size(PHONE)

    sign_in(page, "hocvien@demo.vn", "HocTap@2026")
    assert page.url == f"{page.base_url}/learn/"  # not the home page
    expect(page.get_by_role("heading", name="Khoá học của tôi")).to_be_visible()
    assert not scrolls_sideways(page)
    artefact(page, "learner-dashboard-375")
    page.locator(".resume .button").click()
    expect(page.locator("h1")).to_be_visible()
    assert not scrolls_sideways(page)
    artefact(page, "lesson-375")
    page.set_viewport_size(DESKTOP)
    artefact(page, "lesson-1366")
    page.goto(f"{page.base_url}/learn/")
    artefact(page, "learner-dashboard-1366")
    page.set_viewport_size(PHONE)

    with celery_worker({"SITE_URL": page.base_url}):
        course = pass_first_demo_course(page)
        offer = page.locator("#course-certificate")
        expect(offer).to_be_visible()
        # Either still rendering ("being prepared", then the page's poll shows the link) or ready.
        download = offer.get_by_role("link", name="Tải giấy chứng nhận (PDF)")
        expect(download).to_be_visible(timeout=90_000)
        assert "/result/" in page.url  # it updated itself; nobody reloaded
        expect(offer).to_contain_text("Giấy chứng nhận của bạn đã sẵn sàng.")
        artefact(page, "quiz-result-375")
        with page.expect_download() as info:
            download.click()
        assert info.value.suggested_filename.endswith(".pdf")

    page.goto(f"{page.base_url}/learn/")
    completed = page.locator("#my-courses")
    expect(completed.get_by_role("heading", name="Đã hoàn thành")).to_be_visible()
    expect(completed.locator(".completed-list")).to_contain_text(course.title)
    expect(page.get_by_text("Hiện bạn chưa tham gia khoá học nào.")).to_have_count(0)

    page.goto(f"{page.base_url}/training/my-records/")
    card = page.locator("table.ledger tbody tr").first
    expect(card).to_contain_text(course.title)
    assert not scrolls_sideways(page)
    for cell in card.locator("td").all():
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    artefact(page, "my-records-375")
    assert re.search(r"/training/my-records/$", page.url)
