"""An attendance sheet tells a manager nothing about officers outside their units."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.tests.factories import OfficerFactory
from training.classes.attendance_import import read_attendance_sheet
from training.models import TrainingRecord
from training.tests.class_factories import InPersonClassFactory
from training.tests.test_attendance_upload import xlsx

SAME = "Không có cán bộ nào thuộc các đơn vị bạn quản lý mang mã này."


def test_a_code_held_elsewhere_reads_exactly_like_a_code_nobody_holds(tree, manager_a):
    OfficerFactory(unit=tree["ga"], code="CB-IN")
    OfficerFactory(unit=tree["gb"], code="CB-OUT")
    sheet = read_attendance_sheet(xlsx([("CB-IN",), ("CB-OUT",), ("CB-NOBODY",)]), user=manager_a)
    assert [(e.row, e.reason) for e in sheet.errors] == [(3, SAME), (4, SAME)]
    assert not sheet.officers


def test_both_cost_the_same_queries(tree, manager_a):
    OfficerFactory(unit=tree["gb"], code="CB-OUT")
    read_attendance_sheet(xlsx([("CB-IN",)]), user=manager_a)  # the user's scope is read once, then cached
    captured = []
    for code in ("CB-OUT", "CB-NOBODY"):
        upload = xlsx([(code,)])
        with CaptureQueriesContext(connection) as queries:
            sheet = read_attendance_sheet(upload, user=manager_a)
        assert [e.reason for e in sheet.errors] == [SAME]
        captured.append([q["sql"].split(" WHERE ")[0] for q in queries.captured_queries])
    assert captured[0] == captured[1]


def test_the_page_answers_the_same_for_both(client, tree, manager_a):
    OfficerFactory(unit=tree["gb"], code="CB-OUT")
    klass = InPersonClassFactory(organising_unit=tree["a"])
    client.force_login(manager_a)
    url = reverse("training:class_upload", args=[klass.pk])
    pages = [
        re.sub(
            r'value="[^"]{64}"', "", client.post(url, {"sheet": xlsx([(code,)])}).text.replace(code, "CODE")
        )
        for code in ("CB-OUT", "CB-NOBODY")
    ]
    assert SAME in pages[0] and "Cầu Giấy" not in pages[0]
    assert pages[0] == pages[1]  # the whole page, but for the code typed and the form's token
    assert not TrainingRecord.objects.exists()


def test_the_auditor_still_lists_anyone(tree, auditor):
    OfficerFactory(unit=tree["gb"], code="CB-OUT")
    assert read_attendance_sheet(xlsx([("CB-OUT",)]), user=auditor).ok
