"""The installable app in Chromium: save a course, read it and complete a lesson offline, and the
completion reaches the server once when the connection comes back; the quiz says it needs one.
Signing out leaves nothing for the next person on a shared phone: the saved course is gone offline,
and a completion queued under another account is never sent under this one."""

import re
import time

from playwright.sync_api import expect

from courses.models import LessonCompletion
from courses.tests.conftest import build_course
from e2e.conftest import sign_in


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


QUEUED = """new Promise((resolve) => {
    const open = indexedDB.open("lms-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("completions", { keyPath: "id" });
    open.onsuccess = () => {
      const all = open.result.transaction("completions").objectStore("completions").getAll();
      all.onsuccess = () => resolve(all.result.length);
    };
})"""

COURSE_CACHES = "caches.keys().then((names) => names.filter((name) => name.startsWith('lms-course-')))"


def queued(page) -> int:
    """How many completions wait in the browser's queue."""
    return page.evaluate(QUEUED)


def test_a_saved_course_reads_offline_and_its_completion_arrives_once(page, learner):
    course, lessons, quiz = build_course(lessons=2)
    sign_in(page, "learner@example.vn")
    page.goto(f"{page.base_url}{course.url}")

    # What a phone needs to offer "install": a valid manifest and an active service worker.
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["name"] == "Huấn luyện Công đoàn" and manifest["start_url"] == "/learn/"
    assert {(i["sizes"], i["purpose"]) for i in manifest["icons"]} >= {
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")

    save = page.get_by_role("button", name=re.compile(r"^Lưu 2 bài học \(.+ KB\)$"))
    expect(save).to_be_visible()
    save.click()
    expect(page.get_by_text("Đã lưu", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Xoá bản lưu")).to_be_visible()

    page.context.set_offline(True)
    page.goto(f"{page.base_url}{lessons[0].url}")
    expect(page.get_by_role("heading", name="Bài 1", exact=True)).to_be_visible()
    expect(page.get_by_text("Nội dung bài học.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Đánh dấu hoàn thành bài học")).click()
    expect(page.get_by_text("Đã ghi nhận hoàn thành trên máy khi không có mạng")).to_be_visible()
    assert not LessonCompletion.objects.exists()

    # The timed quiz stays online: its page says so instead of failing.
    page.goto(f"{page.base_url}{quiz.url}")
    expect(page.get_by_text("Bài kiểm tra cần kết nối mạng")).to_be_visible()
    expect(page.get_by_role("button", name="Bắt đầu làm bài")).to_be_hidden()
    # A page that was not saved: the offline page.
    page.goto(f"{page.base_url}/certificates/")
    expect(page.get_by_role("heading", name="Bạn đang ngoại tuyến")).to_be_visible()

    page.context.set_offline(False)  # the "online" event sends the queued completion
    assert wait_for(lambda: LessonCompletion.objects.filter(lesson=lessons[0]).exists())
    page.goto(f"{page.base_url}{course.url}")  # each page load would send what is still queued
    page.reload()
    expect(page.get_by_text("Đã lưu", exact=True)).to_be_visible()
    time.sleep(1)
    assert LessonCompletion.objects.filter(officer=learner.officer).count() == 1
    assert queued(page) == 0

    # The saved copy can be removed; the button offers to save again.
    page.get_by_role("button", name="Xoá bản lưu").click()
    expect(page.get_by_role("button", name=re.compile(r"^Lưu 2 bài học"))).to_be_visible()
    assert page.evaluate(f"caches.has('lms-course-{course.pk}')") is False

    # A completion another account queued on this phone (as if left from before) is dropped by the
    # next page load, never sent under this learner (the server would refuse it too).
    page.evaluate(
        """(url) => new Promise((resolve) => {
        const open = indexedDB.open("lms-offline", 1);
        open.onsuccess = () => {
          const tx = open.result.transaction("completions", "readwrite");
          tx.objectStore("completions").put({ id: crypto.randomUUID(), user: "999999", url, at: Date.now() });
          tx.oncomplete = () => resolve();
        };
    })""",
        f"/learn/lessons/{lessons[1].pk}/complete/queued/",
    )
    assert queued(page) == 1
    page.reload()
    assert wait_for(lambda: queued(page) == 0)
    assert not LessonCompletion.objects.filter(lesson=lessons[1]).exists()

    # Saved again, then the learner signs out: the saved course and the queue are gone, and
    # without a connection the lesson is no longer there to read.
    page.get_by_role("button", name=re.compile(r"^Lưu 2 bài học")).click()
    expect(page.get_by_text("Đã lưu", exact=True)).to_be_visible()
    assert page.evaluate(COURSE_CACHES) == [f"lms-course-{course.pk}"]
    page.locator("#site-menu > summary").click()  # the phone's header menu
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    assert page.evaluate(COURSE_CACHES) == []
    assert queued(page) == 0
    # The service worker (unregistered by Clear-Site-Data) is registered again by the next page.
    assert wait_for(lambda: page.evaluate("navigator.serviceWorker.controller !== null"))
    page.context.set_offline(True)
    page.goto(f"{page.base_url}{lessons[0].url}")
    expect(page.get_by_role("heading", name="Bạn đang ngoại tuyến")).to_be_visible()
    expect(page.get_by_text("Nội dung bài học.")).to_have_count(0)
    page.context.set_offline(False)
