"""People sort by given name, then family name, in the Vietnamese alphabet."""

from hypothesis import given
from hypothesis import strategies as st

from core.vietnamese.names import _letters_and_tones, name_sort_key, split_full_name

from .factories import OfficerFactory


def key(full_name: str) -> str:
    return name_sort_key(*split_full_name(full_name))


def test_given_name_first():
    assert key("Trần Thị Bình") > key("Nguyễn Văn An")
    assert sorted(["Trần Thị Bình", "Nguyễn Văn An"], key=key) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_vietnamese_alphabet_order():
    # a < ă < â, d < đ, o < ô < ơ, u < ư — not the order of Unicode code points.
    names = [
        "Lê Văn Đức",
        "Lê Văn Dũng",
        "Lê Thị Ân",
        "Lê Thị Ánh",
        "Lê Thị Ăn",
        "Lê Văn Ơn",
        "Lê Văn Ông",
        "Lê Văn Út",
    ]
    assert sorted(names, key=key) == [
        "Lê Thị Ánh",
        "Lê Thị Ăn",
        "Lê Thị Ân",
        "Lê Văn Dũng",
        "Lê Văn Đức",
        "Lê Văn Ông",
        "Lê Văn Ơn",
        "Lê Văn Út",
    ]


def test_tones_only_break_ties():
    # Letters first: "Hà" and "Ha" share letters, so Ha < Hà; but Hà < Hai since "ha" < "hai".
    assert key("Lê Ha") < key("Lê Hà") < key("Lê Hai")
    assert key("Ngô Thị Hà") < key("Ngô Thị Hạ")


def test_family_name_breaks_given_name_ties():
    assert key("Đỗ Văn An") > key("Bùi Văn An")
    assert key("Đỗ Văn An") < key("Giang Văn An")


def test_split_full_name():
    assert split_full_name("  Nguyễn Thị Minh Khai ") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_full_name("Lan") == ("", "", "Lan")
    assert split_full_name("") == ("", "", "")


VIETNAMESE_WORD = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ",
    min_size=1,
    max_size=7,
)


@given(st.lists(st.tuples(VIETNAMESE_WORD, VIETNAMESE_WORD, VIETNAMESE_WORD), min_size=2, max_size=8))
def test_key_orders_by_given_name_letters_first(people):
    ordered = sorted(people, key=lambda p: name_sort_key(*p))
    letters = [_letters_and_tones(p[2])[0] for p in ordered]
    assert letters == sorted(letters)


@given(VIETNAMESE_WORD, VIETNAMESE_WORD)
def test_key_is_digits_only_and_case_insensitive(family, given_name):
    k = name_sort_key(family, "", given_name)
    assert k.isdigit()
    assert k == name_sort_key(family.upper(), "", given_name.upper())


def test_database_order_matches(tree, auditor, client):
    for full in ["Trần Thị Bình", "Nguyễn Văn An", "Lê Thị Ánh", "Đỗ Văn Đức", "Phạm Văn Dũng"]:
        family, middle, given_name = split_full_name(full)
        OfficerFactory(unit=tree["ga"], family_name=family, middle_name=middle, given_name=given_name)
    client.force_login(auditor)
    page = client.get("/roster/officers/").text
    positions = [
        page.index(n) for n in ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Thị Bình", "Phạm Văn Dũng", "Đỗ Văn Đức"]
    ]
    assert positions == sorted(positions)


def test_admin_officer_listing_sorts_the_vietnamese_way_both_directions(tree, admin_auditor, client):
    """The admin's officer list sorts by the name key, and its "Họ và tên" column sorts the same way."""
    names = ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Thị Bình", "Phạm Văn Dũng", "Đỗ Văn Đức"]
    for full in reversed(names):
        family, middle, given_name = split_full_name(full)
        OfficerFactory(unit=tree["ga"], family_name=family, middle_name=middle, given_name=given_name)
    client.force_login(admin_auditor)

    page = client.get("/admin/roster/officers/").text
    assert "Họ và tên" in page and "Full name" not in page
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)
    page = client.get("/admin/roster/officers/", {"ordering": "-sort_key"}).text
    assert [page.index(n) for n in reversed(names)] == sorted(page.index(n) for n in names)
    # Searching the roles by an officer's full name finds them (middle name included).
    page = client.get("/admin/roster/officers/", {"q": "Trần Thị Bình"}).text
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page


def test_units_are_listed_in_the_vietnamese_alphabet(tree, admin_auditor, client):
    """Đ comes after D, not after Z as in a plain code-point sort; tones only break ties."""
    from organizations.models import UnitLevel

    from .factories import UnitFactory

    added = ["LĐLĐ quận Tây Hồ", "LĐLĐ quận Đống Đa", "LĐLĐ quận Dương Nội", "LĐLĐ huyện Đan Phượng"]
    for number, name in enumerate(added):
        UnitFactory(parent=tree["city"], code=f"Q{number}", name=name, level=UnitLevel.UPPER)
    expected = [  # with the tree's own Ba Đình and Cầu Giấy
        "LĐLĐ huyện Đan Phượng",
        "LĐLĐ quận Ba Đình",
        "LĐLĐ quận Cầu Giấy",
        "LĐLĐ quận Dương Nội",
        "LĐLĐ quận Đống Đa",
        "LĐLĐ quận Tây Hồ",
    ]
    client.force_login(admin_auditor)
    for url in (f"/admin/roster/units/?parent={tree['city'].pk}", "/roster/units/HN/"):
        page = client.get(url).text
        assert [page.index(n) for n in expected] == sorted(page.index(n) for n in expected), url
    page = client.get("/admin/roster/units/", {"parent": tree["city"].pk, "ordering": "-name"}).text
    assert [page.index(n) for n in reversed(expected)] == sorted(page.index(n) for n in expected)
