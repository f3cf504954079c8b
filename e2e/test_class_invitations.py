"""A manager plans a class from the not-yet-trained list on a 375 px phone: ticks officers,
creates the class on the spot with one place, both invitees accept by their links (no sign-in),
the second waits in line, and the manager downloads the printed sign-in sheet."""

import io
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import sign_in
from e2e.phone import PHONE, artefact, rows_outside, scrolls_sideways
from notifications.models import Message
from organizations.models import Role
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory
from training.audit.services import ensure_program09
from training.models import ClassInvitation, InPersonClass


def test_manager_plans_a_class_from_the_untrained_list(browser, live_server, tree, manager_a):
    year = timezone.localdate().year
    ensure_program09(year)
    people = []
    for given in ("An", "Bình"):
        officer = OfficerFactory(
            unit=tree["ga"], given_name=given, family_name="Trần", email=f"{given}@example.vn"
        )
        RoleAssignmentFactory(
            officer=officer, unit=tree["ga"], role=Role.PROPAGANDIST, start_date=date(year, 1, 1)
        )
        people.append(officer)
    day = timezone.localdate() + timedelta(days=7)

    context = browser.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        sign_in(page, manager_a.email)
        page.goto(f"{page.base_url}/audit/officers/?status=untrained")
        expect(page.locator("#officer-table")).to_contain_text("Trần Văn An")
        assert not scrolls_sideways(page)
        assert rows_outside(page, "#officer-table tbody tr") == []
        artefact(page, "class-untrained-list-375")
        for officer in people:
            page.locator(f"input[name=officer][value='{officer.pk}']").check()
        page.locator("#invite-ticked").click()
        expect(page.locator("#invite-count")).to_contain_text("2")
        assert not scrolls_sideways(page)
        form = page.locator("#invite-form")
        form.locator("#id_title").fill("Tập huấn tuyên truyền viên")
        form.locator("#id_date").fill(day.isoformat())
        form.locator("#id_start_time").fill("08:00")
        form.locator("#id_end_time").fill("11:30")
        form.locator("#id_place").fill("Hội trường LĐLĐ quận Ba Đình")
        form.locator("#id_organising_unit").select_option(str(tree["a"].pk))
        form.locator("#id_hours").fill("3")
        form.locator("#id_capacity").fill("1")
        artefact(page, "class-invite-375")
        form.get_by_role("button", name="Gửi giấy mời").click()
        expect(page.locator("h1")).to_have_text("Tập huấn tuyên truyền viên")
        expect(page.locator("#invite-counts")).to_contain_text("Chưa trả lời: 2")
        klass = InPersonClass.objects.get(title="Tập huấn tuyên truyền viên")
        assert klass.capacity == 1 and klass.invitations.count() == 2

        # Each invitee opens the link of their message on their own phone, without signing in.
        for officer in people:
            message = Message.objects.get(officer=officer)
            path = message.params["url"][len(settings.SITE_URL) :]
            phone = browser.new_context(viewport=PHONE, locale="vi-VN")
            try:
                answer = phone.new_page()
                answer.goto(f"{page.base_url}{path}")
                answer.get_by_role("button", name="Tôi sẽ tham dự").click()
                expect(answer.locator("#invitation-state")).to_be_visible()
                assert not scrolls_sideways(answer)
                artefact(answer, f"class-answer-{officer.given_name}-375")
            finally:
                phone.close()
        states = dict(ClassInvitation.objects.values_list("officer_id", "state"))
        assert states == {people[0].pk: "accepted", people[1].pk: "waitlisted"}

        page.reload()
        expect(page.locator("#invite-counts")).to_contain_text("Đã nhận lời: 1 / 1")
        expect(page.locator("#waitlist")).to_contain_text("Trần Văn Bình")
        assert not scrolls_sideways(page)
        artefact(page, "class-detail-375")
        with page.expect_download() as download:
            page.locator("#sign-in-sheet").click()
        pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert "Trần Văn An" in text and "Chữ ký" in text and "Trần Văn Bình" not in text
    finally:
        context.close()


def test_a_learner_answers_on_learn_at_375_px(browser, live_server, tree, learner):
    from training.classes import invitations
    from training.models import ClassSession

    day = timezone.localdate() + timedelta(days=3)
    klass = InPersonClass.objects.create(
        title="Hội nghị báo cáo viên quý IV",
        organising_unit=tree["a"],
        start_date=day,
        end_date=day,
        place="Nhà văn hóa quận Ba Đình",
        hours=4,
    )
    ClassSession.objects.create(in_person_class=klass, date=day, start_time="14:00", end_time="17:00")
    invitations.invite(in_person_class=klass, officer_ids=[learner.officer.pk])
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        sign_in(page, learner.email)
        page.goto(f"{page.base_url}/learn/")
        panel = page.locator("#class-invitations")
        expect(panel).to_contain_text("Hội nghị báo cáo viên quý IV")
        expect(panel).to_contain_text(f"{day:%d/%m/%Y} 14:00–17:00")
        assert not scrolls_sideways(page)
        panel.get_by_role("button", name="Tôi sẽ tham dự").click()
        expect(page.locator("#class-invitations")).to_contain_text("Đã nhận lời")
        assert not scrolls_sideways(page)
        artefact(page, "class-learn-invitation-375")
    finally:
        context.close()
    assert ClassInvitation.objects.get().state == "accepted"
