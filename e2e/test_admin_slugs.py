"""An editor types a Vietnamese title in the page editor: the address follows in ASCII, and a form
left half-filled (which Wagtail's autosave keeps as a draft) does not block the next one."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from courses.models import LessonPage
from courses.tests.conftest import build_course
from e2e.conftest import sign_in
from organizations.tests.factories import UserFactory


@pytest.fixture
def editor(db):
    user = UserFactory(email="bientap@example.vn", first_name="Lan", last_name="Phạm Thị")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def add_lesson_url(page, course):
    return f"{page.base_url}/admin/pages/add/courses/lessonpage/{course.pk}/"


def test_new_lesson_gets_an_ascii_slug_while_the_title_is_typed(page, editor):
    course, _lessons, _quiz = build_course(lessons=1)
    sign_in(page, editor.email)
    page.goto(add_lesson_url(page, course))
    page.locator("#id_title").press_sequentially("Chụp ảnh bằng Điện thoại: đúng & đẹp!")
    page.get_by_role("tab", name="Quảng bá").click()
    expect(page.locator("#id_slug")).to_have_value("chup-anh-bang-dien-thoai-dung-dep")


def test_a_form_left_after_autosave_does_not_block_the_same_title_later(page, editor):
    course, _lessons, _quiz = build_course(lessons=1)
    sign_in(page, editor.email)
    for _attempt in range(2):
        page.goto(add_lesson_url(page, course))
        page.wait_for_timeout(2500)  # Wagtail's autosave watches the form from 2 s after it loads
        page.locator("#id_title").press_sequentially("Chụp ảnh")
        page.locator("#id_title").press("Tab")
        page.wait_for_url("**/admin/pages/*/edit/")  # autosaved: the form now edits a draft
    # The second form took the next address; saving it is not refused.
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã cập nhật trang “Chụp ảnh”.")
    expect(page.locator(".messages .error")).to_have_count(0)
    slugs = sorted(LessonPage.objects.filter(title="Chụp ảnh").values_list("slug", flat=True))
    assert slugs == ["chup-anh", "chup-anh-2"]
