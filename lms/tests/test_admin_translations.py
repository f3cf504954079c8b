"""Editors work in the Wagtail admin in Vietnamese: locale/vendor fills what Wagtail's own catalogue lacks."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from courses.tests.conftest import build_course
from organizations.tests.factories import UserFactory

# What an editor clicks most, left in English by Wagtail 8's Vietnamese catalogue.
ENGLISH_LABELS = {
    "Publish",
    "Save draft",
    "Preview",
    "History",
    "Edit",
    "Delete",
    "Unpublish",
    "Add child page",
    "Images",
    "Documents",
    "Add an image",
    "Sort by",
    "Content",
    "Promote",
    "Comments",
}


class _VisibleText(HTMLParser):
    """The text nodes a person sees: not inside script, style or template."""

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.texts = set()

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style", "template")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.add(" ".join(data.split()))


def visible_text(response) -> set[str]:
    assert response.status_code == 200
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return parser.texts


def _user_in(group: str):
    user = UserFactory(email=f"{group.lower()}@example.vn")
    user.groups.add(Group.objects.get(name=group))  # Wagtail's own groups, made by its migrations
    return user


@pytest.fixture
def pages(db):
    course, lessons, quiz = build_course(lessons=1)
    return {"course": course, "lesson": lessons[0], "quiz": quiz}


@pytest.fixture
def editor(client, db):
    client.force_login(_user_in("Editors"))
    return client


@pytest.fixture
def moderator(client, db):
    client.force_login(_user_in("Moderators"))
    return client


@pytest.mark.parametrize("kind", ["lesson", "quiz"])
def test_page_editor_speaks_vietnamese(editor, pages, kind):
    page = pages[kind]
    texts = visible_text(editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    # Action menu, tabs and side panels; an editor submits to the moderators' workflow.
    assert {"Lưu bản nháp", "Xem trước", "Lịch sử", "Nội dung", "Quảng bá", "Đặt lịch"} <= texts
    assert "Gửi duyệt theo Quy trình kiểm duyệt" in texts  # the workflow's name too (lms migration 0003)
    assert not texts & ENGLISH_LABELS


def test_publish_and_unpublish_read_in_vietnamese_for_who_may_publish(moderator, pages):
    lesson = pages["lesson"]
    texts = visible_text(moderator.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])))
    assert {"Xuất bản", "Lưu bản nháp", "Hủy xuất bản"} <= texts
    assert not texts & ENGLISH_LABELS
    confirm = visible_text(moderator.get(reverse("wagtailadmin_pages:unpublish", args=[lesson.pk])))
    assert {"Bạn có chắc muốn hủy xuất bản trang này?", "Có, hủy xuất bản"} <= confirm


def test_explorer_speaks_vietnamese(editor, pages):
    texts = visible_text(editor.get(reverse("wagtailadmin_explore", args=[pages["course"].pk])))
    assert {"Sửa", "Lịch sử", "Di chuyển", "Sao chép", "Loại trang", "Thao tác hàng loạt"} <= texts
    assert not texts & ENGLISH_LABELS
    # The sidebar menu is drawn by JavaScript from JSON in the page.
    html = editor.get(reverse("wagtailadmin_explore", args=[pages["course"].pk])).content.decode()
    for label in ("Hình ảnh", "Tài liệu"):
        assert json.dumps(label) in html


def test_image_listing_speaks_vietnamese(editor):
    get_image_model().objects.create(title="Ảnh bìa khóa học", file=get_test_image_file())
    texts = visible_text(editor.get(reverse("wagtailimages:index")))
    assert {"Hình ảnh", "Thêm hình ảnh", "Sắp xếp theo", "Ảnh bìa khóa học"} <= texts
    assert not texts & ENGLISH_LABELS


def test_the_message_after_unpublishing_is_vietnamese(moderator, pages):
    lesson = pages["lesson"]
    moderator.post(reverse("wagtailadmin_pages:unpublish", args=[lesson.pk]))
    listing = moderator.get(reverse("wagtailadmin_explore", args=[lesson.get_parent().pk]))
    assert f"Đã hủy xuất bản trang “{lesson.title}”." in listing.content.decode()


def test_streamfield_controls_come_translated_from_the_javascript_catalogue(editor):
    catalogue = editor.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for label in ("Nhân bản", "Chuyển lên", "Chèn khối"):  # Duplicate, Move up, Insert a block
        assert json.dumps(label) in catalogue


def test_the_default_workflow_and_its_task_have_vietnamese_names(db):
    from importlib import import_module

    from django.apps import apps
    from wagtail.models import Task, Workflow

    assert list(Workflow.objects.values_list("name", flat=True)) == ["Quy trình kiểm duyệt"]
    assert list(Task.objects.values_list("name", flat=True)) == ["Kiểm duyệt nội dung"]
    # A workflow an auditor named is not renamed if the migration runs again; Wagtail's is.
    Workflow.objects.create(name="Duyệt khoá học mới")
    Workflow.objects.create(name="Moderators approval")
    import_module("lms.migrations.0003_vietnamese_workflow_names").rename(apps, None)
    assert set(Workflow.objects.values_list("name", flat=True)) == {
        "Quy trình kiểm duyệt",
        "Duyệt khoá học mới",
    }
