"""The audit on a 375 px phone, as the department's auditor and as the Cầu Giấy district's manager:
nothing scrolls sideways, each unit's name and its figures are on screen together, charts are
legible with their values printed, the header folds into a menu. At 1366 px no header link wraps.
Screenshots of every screen are saved under var/e2e-artifacts/."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.conftest import sign_in
from e2e.phone import DESKTOP, PHONE, artefact, rows_outside, scrolls_sideways, wrapped_nav_items
from e2e.test_audit import _pass_two_factor_if_asked

SCREENS = [
    ("dashboard", "/audit/", "#unit-table tbody tr[data-unit]"),
    ("dashboard-caugiay", "/audit/?unit=LDLD-CAUGIAY", "#unit-table tbody tr[data-unit]"),
    ("roles", "/audit/roles/", "#role-table tbody tr"),
    ("officers", "/audit/officers/", "#officer-table tbody tr"),
    ("unstaffed", "/audit/unstaffed/", "#unstaffed-table tbody tr"),
    ("charts", "/audit/charts/", "#unit-chart-table tbody tr"),
]
AUDITOR_ONLY = [
    ("years", "/audit/years/", "#year-table tbody tr"),
    ("reminders", "/audit/reminders/", None),
]

CHART_FACTS = """() => {
  const texts = [...document.querySelectorAll('svg.chart text')];
  return {
    smallest: Math.min(...texts.map((t) => parseFloat(getComputedStyle(t).fontSize))),
    groups: document.querySelectorAll('svg.chart .chart-group').length,
    bars: document.querySelectorAll('svg.chart rect.bar').length,
    values: [...document.querySelectorAll('svg.chart .chart-value')].map((t) => t.textContent.trim()),
    cut: texts.filter((t) => t.getBoundingClientRect().right > window.innerWidth + 0.5).length,
  };
}"""


def _check_screens(page, who: str, screens) -> None:
    for name, path, rows in screens:
        page.goto(f"{page.base_url}{path}")
        heading = {"years": "Khóa sổ", "reminders": "Nhắc nhở"}.get(name, "Kiểm tra bồi dưỡng")
        expect(page.locator("h1")).to_contain_text(heading)
        assert not scrolls_sideways(page), f"{who} {path} scrolls sideways"
        if rows:
            assert page.locator(rows).count() >= 1, f"{who} {path} shows no rows"
            assert rows_outside(page, rows) == [], f"{who} {path}: a row's name and figures apart"
        if name == "charts":
            facts = page.evaluate(CHART_FACTS)
            assert facts["smallest"] >= 12, facts
            assert facts["groups"] >= 2 and facts["bars"] == 3 * facts["groups"], facts
            assert len(facts["values"]) == facts["bars"] and all(v for v in facts["values"]), facts
            assert facts["cut"] == 0, facts
            page.get_by_text("Xem số liệu của biểu đồ dạng bảng").first.click()
            expect(page.locator("#unit-chart-table")).to_be_visible()
            assert not scrolls_sideways(page)
        artefact(page, f"audit-{who}-{name}-375")


def _header_menu_opens(page) -> None:
    nav_link = page.locator(".site-nav").get_by_role("link", name="Kiểm tra, đánh giá")
    expect(nav_link).to_be_hidden()
    page.locator(".nav-toggle").click()
    expect(nav_link).to_be_visible()
    assert not scrolls_sideways(page)
    page.locator(".nav-toggle").click()
    expect(nav_link).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_the_audit_reads_on_a_phone_for_the_auditor_and_the_cau_giay_manager(browser, live_server):
    call_command("seed_demo", verbosity=0)
    for who, email, screens in (
        ("auditor", "tuyengiao@demo.vn", SCREENS + AUDITOR_ONLY),
        ("manager", "quanly@demo.vn", SCREENS[:1] + SCREENS[2:]),
    ):
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        sign_in(page, email, "HocTap@2026")
        _pass_two_factor_if_asked(page)
        page.goto(f"{page.base_url}/audit/")
        _header_menu_opens(page)
        if who == "manager":
            expect(page.locator("h1")).to_contain_text("Cầu Giấy")
        # Each headline card names its target once.
        first = page.locator(".audit-headline .stat").first.inner_text()
        assert first.count("Mục tiêu 1") == 1, first
        _check_screens(page, who, screens)

        # At desktop width the whole menu stands in the header and no link breaks over two lines.
        page.set_viewport_size(DESKTOP)
        page.goto(f"{page.base_url}/audit/")
        expect(page.locator(".nav-toggle")).to_be_hidden()
        expect(page.locator(".site-nav").get_by_role("link", name="Cán bộ")).to_be_visible()
        assert wrapped_nav_items(page) == []
        assert not scrolls_sideways(page)
        artefact(page, f"audit-{who}-dashboard-1366")
        page.goto(f"{page.base_url}/audit/charts/")
        artefact(page, f"audit-{who}-charts-1366")
        context.close()
