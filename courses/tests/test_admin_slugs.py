"""New pages get ASCII addresses from Vietnamese titles; a slug clash is shown wherever the editor is."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import nested_form_data, streamfield

from core.pages import AsciiSlugPage
from courses.models import LessonPage
from courses.tests.conftest import build_course
from organizations.tests.factories import UserFactory


@pytest.fixture
def editor(db):
    user = UserFactory(email="bientap@example.vn", first_name="Lan", last_name="Phạm Thị")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def course(db):
    return build_course(lessons=1)[0]


def new_lesson(client, course, title, slug, **headers):
    form = nested_form_data({"title": title, "slug": slug, "estimated_minutes": 10, "body": streamfield([])})
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    return client.post(url, form, headers=headers)


def top_message(response) -> str:
    """The message shown above the editor's tabs, whatever tab is open."""
    html = response.content.decode()
    match = re.search(r'<div class="messages".*?<li class="error">(.*?)</ul>', html, re.S)
    assert match, "no error message at the top of the editor"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_every_page_type_makes_ascii_slugs():
    page_types = [model for model in get_page_models() if model is not Page]
    assert page_types
    assert all(issubclass(model, AsciiSlugPage) for model in page_types), page_types


def test_a_slug_typed_with_diacritics_is_saved_in_ascii(client, editor, course):
    client.force_login(editor)
    response = new_lesson(client, course, "Chụp ảnh bằng điện thoại", "Chụp-ảnh-bằng-điện-thoại")
    assert response.status_code == 302
    lesson = LessonPage.objects.get(title="Chụp ảnh bằng điện thoại")
    assert lesson.slug == "chup-anh-bang-dien-thoai"
    assert lesson.url_path.endswith("/chup-anh-bang-dien-thoai/")


def test_a_page_made_in_code_without_a_slug_gets_one_from_its_title(course):
    lesson = course.add_child(
        instance=LessonPage(title="Đổi mới phương thức tuyên truyền", estimated_minutes=5)
    )
    assert lesson.slug == "doi-moi-phuong-thuc-tuyen-truyen"
    other = course.add_child(
        instance=LessonPage(title="Đổi mới phương thức tuyên truyền", estimated_minutes=5)
    )
    assert other.slug == "doi-moi-phuong-thuc-tuyen-truyen-2"
    given = course.add_child(instance=LessonPage(title="Bài", slug="Điều-lệ-Công-đoàn", estimated_minutes=5))
    assert given.slug == "dieu-le-cong-doan"


def test_an_existing_page_keeps_its_slug_with_diacritics(client, editor, course):
    lesson = course.get_children().type(LessonPage).first().specific
    Page.objects.filter(pk=lesson.pk).update(slug="bài-cũ")  # made before slugs were ASCII
    client.force_login(editor)
    form = nested_form_data(
        {"title": "Bài cũ", "slug": "bài-cũ", "estimated_minutes": 10, "body": streamfield([])}
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), form)
    assert response.status_code == 302
    assert Page.objects.get(pk=lesson.pk).slug == "bài-cũ"


def test_a_slug_clash_is_named_in_the_message_above_the_tabs(client, editor, course):
    # The quiz (someone else's, published) holds "kiem-tra": a real clash, for the editor to settle.
    client.force_login(editor)
    response = new_lesson(client, course, "Kiểm tra", "kiem-tra")
    assert response.status_code == 200
    message = top_message(response)
    assert "Đường dẫn “kiem-tra” đã được dùng trong trang cha." in message
    assert "Sửa ô “Đường dẫn (slug)” ở tab “Quảng bá”." in message
    assert not LessonPage.objects.filter(title="Kiểm tra").exists()


def test_the_editors_own_abandoned_draft_does_not_clash(client, editor, course):
    client.force_login(editor)
    # Autosave made a draft of a form the editor then left (a JSON save, as the browser sends it).
    response = new_lesson(client, course, "Chụp ảnh", "chup-anh", accept="application/json")
    assert response.json()["success"] is True
    assert LessonPage.objects.get(slug="chup-anh").live is False

    response = new_lesson(client, course, "Chụp ảnh", "chup-anh", accept="application/json")
    assert response.json()["success"] is True
    # The still-open form is told the slug it now has, so its next save sends that one.
    assert response.json()["field_updates"]["slug"] == "chup-anh-2"
    assert sorted(LessonPage.objects.filter(title="Chụp ảnh").values_list("slug", flat=True)) == [
        "chup-anh",
        "chup-anh-2",
    ]


def test_another_editors_draft_still_clashes(client, editor, course):
    other = UserFactory(email="khac@example.vn")
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    new_lesson(client, course, "Chụp ảnh", "chup-anh")
    client.force_login(editor)
    response = new_lesson(client, course, "Chụp ảnh", "chup-anh")
    assert response.status_code == 200
    assert "Đường dẫn “chup-anh” đã được dùng trong trang cha." in top_message(response)
