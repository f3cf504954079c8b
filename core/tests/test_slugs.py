"""Slugs from Vietnamese titles are plain ASCII, on the server and in the editor's browser alike."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vietnamese.slugs import SLUG_FORMATTERS, ascii_slug, to_ascii


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Chụp ảnh bằng điện thoại", "chup-anh-bang-dien-thoai"),
        ("Đại hội Công đoàn ĐOÀN KẾT", "dai-hoi-cong-doan-doan-ket"),
        ("Bài 1: Kỹ năng (cơ bản) & nâng cao!", "bai-1-ky-nang-co-ban-nang-cao"),
        ("Ưu tiên — người lao động “trẻ”…", "uu-tien-nguoi-lao-dong-tre"),
        ("Tuyên truyền, vận động: 2026/2027", "tuyen-truyen-van-dong-20262027"),
        ("  Ơn   nghĩa   ", "on-nghia"),
        ("snake_case và   gạch--nối", "snake-case-va-gach-noi"),
        ("chup-anh-bang-dien-thoai", "chup-anh-bang-dien-thoai"),
        ("?!…", ""),
    ],
)
def test_titles_become_ascii_slugs(title, slug):
    assert ascii_slug(title) == slug


def test_decomposed_input_gives_the_same_slug():
    # Some keyboards (Unikey's "Unicode tổ hợp") type marks as separate characters.
    title = "Chụp ảnh bằng điện thoại"
    assert ascii_slug(unicodedata.normalize("NFD", title)) == "chup-anh-bang-dien-thoai"


VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        "aăâbcdđeêghiklmnoôơpqrstuưvxy"
        "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐƯƠ"
        " 0123456789-_.,:;!?()&"
    ),
    max_size=60,
)


@given(VIETNAMESE_TEXT)
def test_a_slug_is_lower_case_ascii_words_joined_by_single_hyphens(text):
    slug = ascii_slug(text)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert ascii_slug(slug) == slug  # a slug stays itself


@given(VIETNAMESE_TEXT)
def test_the_browser_table_transliterates_as_the_server_does(text):
    # The formatters Wagtail's slug script applies, run here with Python's re.
    formatted = text
    for pattern, replacement in SLUG_FORMATTERS:
        formatted = re.sub(pattern, replacement, formatted)
    assert formatted == to_ascii(text)
