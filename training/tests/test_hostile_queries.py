"""Whatever is typed into a search box or an address, the training and audit pages answer with a
page (or a 404), never a server error: NUL characters, walls of words, odd page numbers."""

import pytest
from django.urls import reverse

from .audit_helpers import YEAR, program09_fixture  # noqa: F401  (fixture)
from .class_factories import InPersonClassFactory

WALL = " ".join(f"w{i}" for i in range(2000))
HOSTILE = [
    {"q": "\x00"},
    {"q": "Nguyễn\x00Văn"},
    {"q": WALL},
    {"unit": "\x00"},
    {"sort": "\x00"},
    {"page": "-1"},
    {"page": "\x00"},
    {"role": "\x00", "target": "\x00", "status": "\x00", "here": "\x00"},
]


@pytest.mark.parametrize("params", HOSTILE, ids=lambda p: ",".join(p) + ":" + next(iter(p.values()))[:8])
def test_pages_answer_hostile_parameters_without_a_server_error(client, tree, program09, auditor, params):
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(auditor)
    paths = [
        reverse("audit:dashboard"),
        reverse("audit:officers"),
        reverse("audit:roles"),
        reverse("audit:unstaffed"),
        reverse("audit:charts"),
        reverse("audit:export", args=["officers", "csv"]),
        reverse("training:class_list"),
        reverse("training:class_attendance", args=[klass.pk]),
        reverse("training:officer_records", args=[klass.pk]).replace(f"/{klass.pk}/", "/1/"),
    ]
    for path in paths:
        response = client.get(path, {"year": YEAR, **params})
        assert response.status_code in (200, 404), (path, response.status_code)


def test_a_class_search_reads_only_the_first_words(client, tree, auditor):
    InPersonClassFactory(organising_unit=tree["a"], title="Tập huấn kỹ năng viết tin bài")
    client.force_login(auditor)
    response = client.get(reverse("training:class_list"), {"q": "kỹ năng " + WALL})
    assert response.status_code == 200
    response = client.get(reverse("training:class_list"), {"q": "kỹ\x00 năng"})
    assert [c.title for c in response.context["page_obj"]] == ["Tập huấn kỹ năng viết tin bài"]


def test_a_check_in_code_that_cannot_exist_is_not_found(client, learner):
    client.force_login(learner)
    for token in ("%00", "a%00b", "x" * 300):
        assert client.get(f"/training/check-in/{token}/").status_code == 404
        assert client.post(f"/training/check-in/{token}/").status_code == 404
