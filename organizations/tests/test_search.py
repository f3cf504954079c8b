"""Search that forgives missing diacritics: "nguyen van an" finds Nguyễn Văn An, "cau giay" Cầu Giấy."""

import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.vietnamese.folding import fold
from core.vietnamese.names import ALPHABET, name_sort_key
from organizations.importing import Scope, import_roster
from organizations.models import Officer, Unit, UnitLevel
from organizations.search import backfill_search_names, search_words
from organizations.selectors import search_units
from organizations.tests.conftest import officer_row

from .factories import OfficerFactory, RoleAssignmentFactory, UnitFactory

TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng
VIETNAMESE_LETTERS = ALPHABET + ALPHABET.upper()


def test_fold_drops_tones_letter_marks_and_case():
    assert fold("Nguyễn Văn Ân") == "nguyen van an"
    assert fold("ĐỖ THỊ HƯƠNG") == "do thi huong"
    assert fold("  LĐLĐ quận\tCầu   Giấy ") == "ldld quan cau giay"
    # The same name typed in decomposed form (some phones, macOS) folds the same.
    assert fold(unicodedata.normalize("NFD", "Phạm Quỳnh Anh")) == "pham quynh anh"


@given(st.text(alphabet=VIETNAMESE_LETTERS + TONES + " ", max_size=40))
def test_fold_of_vietnamese_text_is_plain_ascii_whatever_its_case(text):
    folded = fold(text)
    assert folded.isascii() and folded == folded.lower()
    assert fold(text.upper()) == folded == fold(folded)
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text)) == folded


@given(st.text(max_size=60))
def test_fold_never_fails_and_is_stable(text):
    assert fold(fold(text)) == fold(text)


def test_search_words_keep_the_limits():
    assert search_words("  nguyen\x00  van an ") == ["nguyen", "van", "an"]
    assert search_words("a " * 50) == ["a"] * 8
    assert search_words("x" * 500) == ["x" * 100]
    assert search_words("\x00\x00") == []


def test_every_save_path_keeps_the_search_column(tree):
    officer = OfficerFactory(unit=tree["ga"], family_name="Nguyễn", middle_name="Văn", given_name="Ân")
    assert officer.search_name == "nguyen van an"
    officer.given_name = "Đức"
    officer.save(update_fields=["given_name"])  # a partial save writes the derived columns too
    officer.refresh_from_db()
    assert officer.search_name == "nguyen van duc"
    assert officer.sort_key == name_sort_key("Nguyễn", "Văn", "Đức")
    tree["gb"].name = "CĐCS Bệnh viện Đống Đa"
    tree["gb"].save(update_fields=["name"])
    assert Unit.objects.get(pk=tree["gb"].pk).search_name == "cdcs benh vien dong da"
    assert Unit.objects.get(pk=tree["b"].pk).search_name == "ldld quan cau giay"


def test_backfill_fills_every_row_in_batches(tree):
    """The function migration 0006 runs over existing rows (here, rows blanked as if pre-migration)."""
    for n in range(5):
        OfficerFactory(unit=tree["ga"], family_name="Trần", middle_name="Thị", given_name=f"Thủy {n}")
    Officer.objects.update(search_name="")
    Unit.objects.update(search_name="")
    written = backfill_search_names(Officer, Unit, batch_size=2)
    assert written == Officer.objects.count() + Unit.objects.count()
    assert not Officer.objects.filter(search_name="").exists()
    assert not Unit.objects.filter(search_name="").exists()
    assert set(Officer.objects.filter(family_name="Trần").values_list("search_name", flat=True)) == {
        f"tran thi thuy {n}" for n in range(5)
    }
    assert Unit.objects.get(code="CS-A").search_name == "cdcs cong ty may ba dinh"


def test_import_writes_the_search_column(tree, roster_file):
    import_roster(
        roster_file(
            units=[["Q-HK", "HN", "LĐLĐ quận Hoàn Kiếm", "Cấp trên trực tiếp", "Quận, huyện", 0]],
            officers=[officer_row(code="CB-9", name="Phạm Thị Ngọc Ánh", unit="Q-HK")],
        ),
        scope=Scope(everything=True),
    )
    assert [u.code for u in search_units(Unit.objects.all(), "hoan kiem")] == ["Q-HK"]
    assert Officer.objects.get(code="CB-9").search_name == "pham thi ngoc anh"
    # A re-import that renames both: the column follows the new names.
    import_roster(
        roster_file(
            units=[["Q-HK", "HN", "LĐLĐ quận Hoàn Kiếm mới", "Cấp trên trực tiếp", "Quận, huyện", 0]],
            officers=[officer_row(code="CB-9", name="Phạm Thị Ngọc Ánh Dương", unit="Q-HK")],
        ),
        scope=Scope(everything=True),
    )
    assert Unit.objects.get(code="Q-HK").search_name == "ldld quan hoan kiem moi"
    assert Officer.objects.get(code="CB-9").search_name == "pham thi ngoc anh duong"


@pytest.fixture
def people(tree):
    return {
        "an": OfficerFactory(unit=tree["ga"], family_name="Nguyễn", middle_name="Văn", given_name="An"),
        "an_b": OfficerFactory(unit=tree["gb"], family_name="Nguyễn", middle_name="Văn", given_name="An"),
        "ha": OfficerFactory(unit=tree["ga"], family_name="Đỗ", middle_name="Thu", given_name="Hà"),
    }


def names(html: str, people) -> set[str]:
    return {key for key, officer in people.items() if f"/{officer.pk}/" in html}


def test_public_officer_list_finds_names_typed_without_diacritics(client, manager_a, people):
    client.force_login(manager_a)
    url = reverse("organizations:officer_list")
    assert names(client.get(url, {"q": "nguyen van an"}).text, people) == {"an"}  # not district B's
    assert names(client.get(url, {"q": "NGUYỄN an"}).text, people) == {"an"}
    assert names(client.get(url, {"q": "do ha"}).text, people) == {"ha"}
    assert names(client.get(url, {"q": "Đỗ Thu Hà"}).text, people) == {"ha"}
    assert names(client.get(url, {"q": "nguyen ha"}).text, people) == set()  # every word must match


def test_unit_suggestions_and_admin_chooser_ignore_diacritics(client, admin_manager, tree):
    client.force_login(admin_manager)
    found = client.get(reverse("organizations:unit_search"), {"q": "may ba dinh"}).json()["results"]
    assert [unit["code"] for unit in found] == ["CS-A"]
    # Cầu Giấy is another district's: folded or not, it stays out of reach.
    assert client.get(reverse("organizations:unit_search"), {"q": "cau giay"}).json() == {"results": []}
    html = client.get("/admin/roster/unit-chooser/results/", {"q": "ba dinh"}).text
    assert "CS-A" in html and "Q-BD" in html and "CS-B" not in html


def test_admin_listings_ignore_diacritics_and_stay_in_scope(client, admin_manager, people, tree):
    RoleAssignmentFactory(officer=people["ha"], unit=tree["ga"])
    RoleAssignmentFactory(officer=people["an_b"], unit=tree["gb"])
    client.force_login(admin_manager)
    officers = client.get("/admin/roster/officers/", {"q": "nguyen van an"}).text
    assert names(officers, people) == {"an"}
    # Wagtail's own search looked for the whole query inside one field: full names never matched.
    roles = client.get("/admin/roster/roles/", {"q": "do thu ha may ba dinh"}).text
    assert people["ha"].full_name in roles
    # an_b's role at CS-B is out of reach (the manager's own officer may share an_b's factory name).
    assert tree["gb"].name not in client.get("/admin/roster/roles/", {"q": "nguyen"}).text
    units = client.get("/admin/roster/units/", {"q": "cong ty may"}).text
    assert "CS-A" in units and "CS-B" not in units


def test_upper_levels_are_found_by_unaccented_name(db):
    city = UnitFactory(code="HN", name="Liên đoàn Lao động Thành phố Hà Nội", level=UnitLevel.CITY)
    UnitFactory(parent=city, code="Q-DD", name="LĐLĐ quận Đống Đa", level=UnitLevel.UPPER)
    assert [u.code for u in search_units(Unit.objects.all(), "ldld dong da")] == ["Q-DD"]
    assert [u.code for u in search_units(Unit.objects.all(), "Hà Nội")] == ["HN"]
