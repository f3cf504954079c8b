"""Self check-in in two browsers: the organiser shows the QR code, a learner's phone scans it."""

import io
from datetime import time

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from e2e.conftest import sign_in
from training.models import ClassSession, InPersonClass, RecordSource, TrainingRecord


def test_organiser_shows_qr_and_learner_checks_in(page, browser, tree, manager_a, learner):
    from django.utils import timezone

    today = timezone.localdate()
    klass = InPersonClass.objects.create(
        title="Tập huấn kỹ năng viết tin bài trên mạng xã hội",
        organising_unit=tree["a"],
        start_date=today,
        end_date=today,
        place="Hội trường LĐLĐ quận Ba Đình",
        hours=8,
    )
    session = ClassSession.objects.create(
        in_person_class=klass, date=today, start_time=time(0, 0), end_time=time(23, 59, 59)
    )

    # The organiser, signed in, opens the QR page of the running session.
    sign_in(page, manager_a.email)
    page.goto(f"{page.base_url}/training/classes/{klass.pk}/")
    page.get_by_role("link", name="Hiện mã QR").click()
    expect(page.get_by_role("heading", name="Quét mã để điểm danh")).to_be_visible()
    expect(page.locator("#present-count")).to_have_text("0")
    qr = page.locator(".check-in-qr svg")
    scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert scanned, "the QR code on the page could not be read"
    url = scanned[0].text
    assert url == f"{page.base_url}/training/check-in/{session.check_in_token}/"

    # A learner's phone in a separate browser context opens what it scanned.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    try:
        learner_page = phone.new_page()
        learner_page.set_default_timeout(15_000)
        learner_page.base_url = page.base_url
        sign_in(learner_page, learner.email)
        learner_page.goto(url)
        expect(learner_page.get_by_text("Điểm danh với tên Nguyễn Thị Mai?")).to_be_visible()
        learner_page.get_by_role("button", name="Tôi có mặt").click()
        expect(learner_page.get_by_text("Bạn đã được ghi nhận có mặt. Cảm ơn bạn!")).to_be_visible()
        # Scanning again is a friendly no-op.
        learner_page.goto(url)
        expect(learner_page.get_by_text("Bạn đã được ghi nhận có mặt ở lớp này.")).to_be_visible()
    finally:
        phone.close()

    record = TrainingRecord.objects.get(in_person_class=klass)
    assert record.officer == learner.officer and record.source == RecordSource.CHECK_IN
    page.reload()
    expect(page.locator("#present-count")).to_have_text("1")

    # Afterwards the organiser corrects the list: the learner was not really there.
    page.goto(f"{page.base_url}/training/classes/{klass.pk}/")
    expect(page.get_by_text("1 cán bộ có mặt")).to_be_visible()
    page.get_by_text("Đưa ra khỏi danh sách").click()
    page.get_by_label("Lý do").fill("Quét mã nhưng không dự lớp")
    page.get_by_role("button", name="Đưa ra").click()
    expect(page.get_by_text("Đã đưa Nguyễn Thị Mai ra khỏi danh sách.")).to_be_visible()
    expect(page.get_by_text("0 cán bộ có mặt")).to_be_visible()
    record.refresh_from_db()
    assert record.is_void and record.void_reason == "Quét mã nhưng không dự lớp"
