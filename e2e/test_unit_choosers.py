"""Choosing a unit in a browser: the admin's unit chooser and the site class form's code input."""

from playwright.sync_api import expect

from e2e.conftest import sign_in
from organizations.models import Officer
from organizations.tests.factories import OfficerFactory
from training.models import InPersonClass


def test_admin_officer_moved_with_the_unit_chooser(page, tree, admin_auditor):
    officer = OfficerFactory(unit=tree["ga"], family_name="Lê", middle_name="Thị", given_name="Hoa")
    sign_in(page, admin_auditor.email)
    page.goto(f"{page.base_url}/admin/roster/officers/edit/{officer.pk}/")
    expect(page.get_by_text("CĐCS Công ty May Ba Đình (CS-A)")).to_be_visible()

    page.locator("#id_unit-chooser .w-dropdown__toggle").click()  # the chosen unit's actions
    page.get_by_role("button", name="Chọn đơn vị khác").click()
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("heading", name="Chọn đơn vị")).to_be_visible()
    modal.get_by_label("Từ khóa").fill("thcs")
    choice = modal.get_by_role("link", name="CĐCS Trường THCS Cầu Giấy")
    expect(choice).to_be_visible()
    expect(modal.get_by_role("link", name="CĐCS Công ty May Ba Đình")).to_have_count(0)
    choice.click()
    expect(page.get_by_text("CĐCS Trường THCS Cầu Giấy (CS-B)")).to_be_visible()
    page.get_by_role("button", name="Lưu").first.click()
    page.wait_for_url("**/admin/roster/officers/")
    assert Officer.objects.get(pk=officer.pk).unit == tree["gb"]


def test_class_form_suggests_units_for_a_large_scope(page, tree, auditor, monkeypatch):
    monkeypatch.setattr("organizations.fields.UNIT_SELECT_LIMIT", 1)  # the fixture tree counts as large
    sign_in(page, auditor.email)
    page.goto(f"{page.base_url}/training/classes/new/")
    unit = page.locator("input[name=organising_unit]")
    unit.fill("May Ba")
    options = page.locator("#id_organising_unit-suggestions option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "CS-A"

    unit.fill("CS-A")
    page.fill("#id_title", "Bồi dưỡng nghiệp vụ báo cáo viên")
    page.fill("#id_topic", "Nghiệp vụ")
    page.fill("#id_start_date", "2026-04-02")
    page.fill("#id_end_date", "2026-04-03")
    page.fill("#id_place", "Nhà văn hóa quận")
    page.fill("#id_hours", "12")
    page.click("#main button[type=submit]")
    page.wait_for_load_state()
    assert InPersonClass.objects.get().organising_unit == tree["ga"]
