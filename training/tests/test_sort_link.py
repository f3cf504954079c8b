"""Sortable column headers say their order in words to screen readers, with no invalid ARIA."""

from django.test import RequestFactory
from django.utils import translation

from training.templatetags.training_tags import sort_link


def _link(query):
    return str(sort_link({"request": RequestFactory().get("/audit/", query)}, "name", "Họ và tên"))


def test_a_sorted_column_says_its_direction_and_an_unsorted_one_says_nothing():
    with translation.override("vi"):
        unsorted, ascending, descending = _link({}), _link({"sort": "name"}), _link({"sort": "-name"})
    assert unsorted == '<a href="?sort=name">Họ và tên</a>'
    assert "đang xếp tăng dần" in ascending and 'href="?sort=-name"' in ascending
    assert "đang xếp giảm dần" in descending and 'href="?sort=name"' in descending
    assert '<span aria-hidden="true"> ▲</span>' in ascending
    assert all("aria-sort" not in link for link in (unsorted, ascending, descending))
