"""The roster screens of the Wagtail admin speak Vietnamese, also where Wagtail's catalogue does not."""

from .factories import OfficerFactory


def test_roster_listing_and_not_found_page_are_vietnamese(client, admin_manager, tree):
    inside = OfficerFactory(unit=tree["ga"], family_name="Lê", given_name="Hoa")
    outside = OfficerFactory(unit=tree["gb"], family_name="Trần", given_name="Bình")
    client.force_login(admin_manager)

    listing = client.get("/admin/roster/officers/").text
    for phrase in ("Lọc theo", "Hiện bộ lọc", "Chuyển đến nội dung chính", "Trang 1 / 1"):
        assert phrase in listing, phrase
    for english in ("Filter by", "Show filters", "Skip to main content", "Page 1 of 1"):
        assert english not in listing, english

    edit = client.get(f"/admin/roster/officers/edit/{inside.pk}/").text
    assert "Xem lịch sử" in edit and "View history" not in edit

    missing = client.get(f"/admin/roster/officers/edit/{outside.pk}/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang bạn yêu cầu." in missing.text and "could not be found" not in missing.text

    units = client.get("/admin/roster/units/").text
    assert "w-sr-only" in units
    assert ">True<" not in units.replace(" ", "").replace("\n", "")


def test_site_history_is_vietnamese(client, admin_manager):
    client.force_login(admin_manager)
    page = client.get("/admin/reports/site-history/").text
    assert "Lịch sử thay đổi" in page and "Site history" not in page
    assert "Không có mục nhật ký nào." in page
