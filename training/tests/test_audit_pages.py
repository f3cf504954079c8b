"""The audit screens: figures, drill-down, lists, scope by role and by URL."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from organizations.models import Role
from organizations.tests.factories import UserFactory

from .audit_helpers import (
    YEAR,
    manager_of_both_fixture,  # noqa: F401  (fixture)
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)


@pytest.fixture
def roster(tree, program09):
    """A small roster: trained and untrained people in both districts."""
    people = {
        "city_po": officer_with(tree["city"], Role.PROPAGANDA_OFFICER, family_name="Phạm", given_name="Lan"),
        "a_prop": officer_with(tree["a"], Role.PROPAGANDIST, family_name="Trần", given_name="Bình"),
        "ga_chair": officer_with(tree["ga"], Role.GRASSROOTS_CHAIR, family_name="Lê", given_name="Cường"),
        "ga_prop": officer_with(
            tree["ga"], Role.PROPAGANDIST, Role.REPORTER, family_name="Đỗ", given_name="Anh"
        ),
        "gb_rep": officer_with(tree["gb"], Role.REPORTER, family_name="Vũ", given_name="Hà"),
    }
    record(people["a_prop"], date(YEAR, 4, 1))
    record(people["ga_chair"], date(YEAR, 5, 1))
    return people


def url(name, **params):
    from urllib.parse import urlencode

    return reverse(f"audit:{name}") + ("?" + urlencode(params) if params else "")


def test_auditor_sees_city_figures_and_drills_down_to_officers(client, auditor, tree, roster):
    client.force_login(auditor)
    response = client.get(url("dashboard", year=YEAR))
    assert response.status_code == 200
    headline = response.context["headline"]
    assert (headline["corps"].required, headline["corps"].done) == (4, 1)
    assert (headline["large_grassroots"].required, headline["large_grassroots"].done) == (2, 1)
    assert (headline["staffing"].required, headline["staffing"].done) == (3, 2)
    content = response.content.decode()
    assert "Mục tiêu 2" in content and "LĐLĐ quận Ba Đình" in content
    rows = {r.node.code: r for r in response.context["page_obj"]}
    assert rows["Q-BD"].figures["corps"].required == 2
    assert rows["HN"].is_self and rows["HN"].figures["corps"].required == 1

    response = client.get(url("dashboard", year=YEAR, unit="Q-BD"))
    rows = {r.node.code: r for r in response.context["page_obj"]}
    assert set(rows) == {"Q-BD", "CS-A"}
    assert [c.code for c in response.context["crumbs"]] == ["HN"]

    response = client.get(url("dashboard", year=YEAR, unit="CS-A"))
    names = [o["display_name"] for o in response.context["officers"]]
    assert names == ["Đỗ Văn Anh", "Lê Văn Cường"]
    assert [o["trained"] for o in response.context["officers"]] == [False, True]


def test_manager_sees_only_their_subtree(client, manager_a, tree, roster):
    client.force_login(manager_a)
    response = client.get(url("dashboard", year=YEAR))
    assert response.context["node"].code == "Q-BD"
    assert response.context["headline"]["corps"].required == 2
    assert "Cầu Giấy" not in response.content.decode()
    for name in ("dashboard", "officers", "roles", "unstaffed", "charts"):
        assert client.get(url(name, year=YEAR, unit="Q-CG")).status_code == 404
        assert client.get(url(name, year=YEAR, unit="HN")).status_code == 404
    officers = client.get(url("officers", year=YEAR, status="all")).context["officers"]
    assert {o["display_name"] for o in officers} == {"Trần Văn Bình", "Lê Văn Cường", "Đỗ Văn Anh"}
    assert client.get(url("years")).status_code == 403


def test_people_without_a_role_are_refused(client, tree, program09, learner):
    client.force_login(learner)
    assert client.get(url("dashboard")).status_code == 403
    client.logout()
    response = client.get(url("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_year_is_not_found(client, auditor, tree):
    client.force_login(auditor)
    assert client.get(url("dashboard", year="abc")).status_code == 404
    assert client.get(url("dashboard", year="1900")).status_code == 404
    assert client.get(url("dashboard", year=YEAR, unit="NOPE")).status_code == 404


def test_year_without_requirement_says_so(client, auditor, tree):
    client.force_login(auditor)
    response = client.get(url("dashboard", year=YEAR))
    assert "Chưa đặt yêu cầu" in response.content.decode()


def test_not_yet_trained_list_filters_searches_and_sorts(client, auditor, tree, roster):
    client.force_login(auditor)
    response = client.get(url("officers", year=YEAR))
    names = [o["display_name"] for o in response.context["officers"]]
    # Vietnamese order: by given name first, then the rest of the name.
    assert names == ["Đỗ Văn Anh", "Vũ Văn Hà", "Phạm Văn Lan"]
    response = client.get(url("officers", year=YEAR, sort="-name"))
    assert [o["display_name"] for o in response.context["officers"]] == [
        "Phạm Văn Lan",
        "Vũ Văn Hà",
        "Đỗ Văn Anh",
    ]
    response = client.get(url("officers", year=YEAR, role=Role.REPORTER))
    assert [o["display_name"] for o in response.context["officers"]] == ["Đỗ Văn Anh", "Vũ Văn Hà"]
    response = client.get(url("officers", year=YEAR, unit="Q-CG"))
    assert [o["display_name"] for o in response.context["officers"]] == ["Vũ Văn Hà"]
    response = client.get(url("officers", year=YEAR, q="phạm"))
    assert [o["display_name"] for o in response.context["officers"]] == ["Phạm Văn Lan"]
    response = client.get(url("officers", year=YEAR, status="trained"))
    assert [o["display_name"] for o in response.context["officers"]] == ["Trần Văn Bình", "Lê Văn Cường"]
    response = client.get(url("officers", year=YEAR, target="large_grassroots"))
    assert [o["display_name"] for o in response.context["officers"]] == ["Đỗ Văn Anh"]
    assert "Báo cáo viên — CĐCS Công ty May Ba Đình" in response.content.decode()


def test_units_without_a_propagandist(client, auditor, tree, roster):
    client.force_login(auditor)
    response = client.get(url("unstaffed", year=YEAR))
    assert [u["code"] for u in response.context["units"]] == ["Q-CG"]
    # An upper-level union has no upper-level union above it: the column is blank, not its own name.
    assert response.context["units"][0]["upper_name"] == ""
    row = response.content.decode().split('id="unstaffed-table"')[1].split("</tr>")[1]
    assert row.count("LĐLĐ quận Cầu Giấy") == 1


def test_roles_breakdown_and_charts(client, auditor, tree, roster):
    client.force_login(auditor)
    rows = client.get(url("roles", year=YEAR)).context["rows"]

    def pair(figure):
        return None if figure is None else (figure.required, figure.done)

    # ga_prop holds two roles: counted in both rows. Only the chair is trained at CS-A.
    assert {r.role: (pair(r.figures["corps"]), pair(r.figures["large_grassroots"])) for r in rows} == {
        Role.PROPAGANDA_OFFICER: ((1, 0), (0, 0)),
        Role.PROPAGANDIST: ((2, 1), (1, 0)),
        Role.REPORTER: ((2, 0), (1, 0)),
        Role.GRASSROOTS_CHAIR: ((0, 0), (1, 1)),
    }

    response = client.get(url("charts", year=YEAR))
    assert response.status_code == 200
    # One bar group per upper-level union (not the city itself): T1, T2, T3 rates.
    groups = response.context["bars"]["groups"]
    bars = {g["key"]: [b["pct"] for b in g["bars"]] for g in groups}
    assert bars == {
        "Q-BD": [Decimal("100.00"), Decimal("50.00"), Decimal("50.00")],  # staffed, corps 1/2, CS-A 1/2
        "Q-CG": [Decimal("0.00"), Decimal("0.00"), None],  # unstaffed, corps 0/1, no large grassroots
    }
    widths = {g["key"]: [b["width"] for b in g["bars"]] for g in groups}
    assert widths == {"Q-BD": ["100.00", "50.00", "50.00"], "Q-CG": ["0.00", "0.00", "0"]}
    html = response.content.decode()
    # Values are printed beside the bars (a phone has no hover), full names as titles.
    assert '<text x="0" y="14" class="chart-title">LĐLĐ quận Ba Đình</text>' in html
    unit_chart = html[: html.index('id="unit-chart-table"')]
    assert unit_chart.count('class="chart-value">50,00%</text>') == 2
    assert 'class="chart-value">—</text>' in unit_chart
    assert "<title>" not in html.split("<svg", 1)[1]
    # The table view beside the chart says the same figures.
    assert 'id="unit-chart-table"' in html and '50,00% <span class="muted">(1/2)</span>' in html
    assert [g["key"] for g in response.context["trend"]["groups"]] == [YEAR - 1, YEAR]


def test_chart_titles_wrap_instead_of_being_cut(client, auditor, tree, program09):
    long_name = "Công đoàn cơ sở Hợp tác xã Dịch vụ Nông nghiệp và Thương mại Tổng hợp Phú Nghĩa"
    tree["a"].name = long_name
    tree["a"].save()
    client.force_login(auditor)
    response = client.get(url("charts", year=YEAR))
    group = next(g for g in response.context["bars"]["groups"] if g["key"] == "Q-BD")
    lines = [line["text"] for line in group["lines"]]
    assert len(lines) > 1 and " ".join(lines) == long_name
    assert all(len(line) <= 40 for line in lines)


def test_unit_table_pages_and_sorts(client, auditor, tree, program09):
    from organizations.models import UnitLevel
    from organizations.tests.factories import UnitFactory

    for n in range(60):
        unit = UnitFactory(
            parent=tree["a"], level=UnitLevel.GRASSROOTS, worker_count=1000 + n, name=f"CĐCS số {n:02d}"
        )
        officer_with(unit, Role.PROPAGANDIST)
    client.force_login(auditor)
    first = client.get(url("dashboard", year=YEAR, unit="Q-BD", sort="-workers"))
    assert first.context["page_obj"].paginator.num_pages == 2
    assert first.context["page_obj"][0].node.worker_count == 1200
    second = client.get(url("dashboard", year=YEAR, unit="Q-BD", sort="-workers", page=2))
    assert len(second.context["page_obj"]) == 62 - 50


def test_nobody_else_is_counted_for_a_manager_through_other_units(client, tree, program09):
    # A person holding roles in both districts appears once in each manager's view.
    officer = officer_with(tree["ga"], Role.PROPAGANDIST)
    from organizations.tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(officer=officer, unit=tree["gb"], role=Role.REPORTER, start_date=date(2020, 1, 1))
    from conftest import make_manager

    user = make_manager(tree["b"], "b@example.vn")
    client.force_login(user)
    assert client.get(url("dashboard", year=YEAR)).context["headline"]["corps"].required == 1
    assert UserFactory  # factories import used above


def test_grassroots_officer_table_pages_and_sorts_on_its_own_and_matches_the_export(
    client, auditor, tree, program09
):
    import io

    from openpyxl import load_workbook

    from training.audit.exports import HEADER_ROW

    for n in range(1, 31):
        officer_with(tree["ga"], Role.PROPAGANDIST, family_name="Trần", given_name=f"Tên {n:02d}")
    names = [f"Trần Văn Tên {n:02d}" for n in range(1, 31)]
    client.force_login(auditor)

    first = client.get(url("dashboard", year=YEAR, unit="CS-A"))
    assert [o["display_name"] for o in first.context["officers"]] == names[:25]
    content = first.content.decode()
    # "Next" under the officer table moves the officers, keeping the year and the unit.
    assert f'href="?year={YEAR}&amp;unit=CS-A&amp;opage=2"' in content
    assert "page=2" not in content.replace("opage=2", "")

    second = client.get(url("dashboard", year=YEAR, unit="CS-A", opage=2))
    assert [o["display_name"] for o in second.context["officers"]] == names[25:]
    assert second.context["page_obj"].number == 1  # the unit table stays where it was

    reversed_second = client.get(url("dashboard", year=YEAR, unit="CS-A", sort="-name", opage=2))
    assert [o["display_name"] for o in reversed_second.context["officers"]] == names[::-1][25:]
    # Sorting again starts the officers on their first page.
    assert 'href="?year=2026&amp;unit=CS-A&amp;sort=name"' in reversed_second.content.decode()

    export = client.get(
        "/audit/export/dashboard.xlsx", {"year": YEAR, "unit": "CS-A", "sort": "-name", "opage": 2}
    )
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[2]
    exported = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert exported == names[::-1]
    assert exported[25:] == [o["display_name"] for o in reversed_second.context["officers"]]


def test_not_yet_trained_list_pages_and_keeps_its_filters(client, auditor, tree, program09):
    for n in range(1, 31):
        officer_with(tree["gb"], Role.REPORTER, family_name="Hồ", given_name=f"Tên {n:02d}")
    officer_with(tree["ga"], Role.REPORTER, family_name="Lý", given_name="Khác")
    client.force_login(auditor)
    names = [f"Hồ Văn Tên {n:02d}" for n in range(1, 31)]
    first = client.get(url("officers", year=YEAR, unit="Q-CG"))
    assert first.context["page_obj"].paginator.count == 30
    assert [o["display_name"] for o in first.context["officers"]] == names[:25]
    assert f'href="?year={YEAR}&amp;unit=Q-CG&amp;page=2"' in first.content.decode()
    second = client.get(url("officers", year=YEAR, unit="Q-CG", page=2))
    assert [o["display_name"] for o in second.context["officers"]] == names[25:]
    assert "Lý Văn Khác" not in second.content.decode()
    backwards = client.get(url("officers", year=YEAR, unit="Q-CG", sort="-name", page=2))
    assert [o["display_name"] for o in backwards.context["officers"]] == names[::-1][25:]


def test_units_without_a_propagandist_page_and_sort(client, auditor, tree, program09):
    from organizations.models import UnitLevel
    from organizations.tests.factories import UnitFactory

    for n in range(30):
        UnitFactory(
            parent=tree["a"],
            level=UnitLevel.GRASSROOTS,
            code=f"CS-{29 - n:02d}",
            name=f"CĐCS số {n:02d}",
            worker_count=1000 + 10 * n,
        )
    UnitFactory(parent=tree["a"], level=UnitLevel.GRASSROOTS, code="CS-SMALL", worker_count=999)
    client.force_login(auditor)
    # Q-BD, Q-CG and the 30 large unions (not the one with 999 workers, not CS-A with 1,200: staffed).
    officer_with(tree["ga"], Role.PROPAGANDIST)
    first = client.get(url("unstaffed", year=YEAR))
    assert first.context["page_obj"].paginator.count == 32
    everyone = [u["name"] for u in first.context["units"]]
    everyone += [u["name"] for u in client.get(url("unstaffed", year=YEAR, page=2)).context["units"]]
    assert len(everyone) == 32 and len(set(everyone)) == 32 and everyone == sorted(everyone)
    assert "CS-SMALL" not in first.content.decode()

    by_workers = client.get(url("unstaffed", year=YEAR, sort="-workers"))
    assert [u["worker_count"] for u in by_workers.context["units"]][:3] == [1290, 1280, 1270]
    assert by_workers.context["units"][0]["upper_name"] == "LĐLĐ quận Ba Đình"
    second = client.get(url("unstaffed", year=YEAR, sort="-workers", page=2))
    assert [u["code"] for u in second.context["units"]] == [
        "CS-25",
        "CS-26",
        "CS-27",
        "CS-28",
        "CS-29",
        "Q-CG",
        "Q-BD",
    ]
    by_code = client.get(url("unstaffed", year=YEAR, sort="code"))
    assert [u["code"] for u in by_code.context["units"]][:3] == ["CS-00", "CS-01", "CS-02"]
    by_code_desc = client.get(url("unstaffed", year=YEAR, sort="-code", page=2))
    assert [u["code"] for u in by_code_desc.context["units"]][-2:] == ["CS-01", "CS-00"]


def unit_options(response) -> list[tuple[str, str]]:
    """The (value, label) pairs of the officers filter's unit picker."""
    import re

    html = response.content.decode()
    picker = re.search(r'<select name="unit">(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', picker)


def test_officers_list_has_a_unit_picker_limited_to_the_viewers_scope(
    client, auditor, manager_a, tree, roster
):
    client.force_login(auditor)
    response = client.get(url("officers", year=YEAR))
    assert unit_options(response) == [
        ("", "Tất cả đơn vị"),
        ("HN", "Liên đoàn Lao động thành phố Hà Nội (HN)"),
        ("Q-BD", "— LĐLĐ quận Ba Đình (Q-BD)"),
        ("Q-CG", "— LĐLĐ quận Cầu Giấy (Q-CG)"),
    ]
    picked = client.get(url("officers", year=YEAR, unit="Q-CG"))
    assert [o["display_name"] for o in picked.context["officers"]] == ["Vũ Văn Hà"]
    assert '<option value="Q-CG" selected>' in picked.content.decode()

    client.force_login(manager_a)
    response = client.get(url("officers", year=YEAR, status="all"))
    assert unit_options(response) == [("", "Tất cả đơn vị"), ("Q-BD", "LĐLĐ quận Ba Đình (Q-BD)")]
    # A grassroots union reached by drilling down stays picked; one outside the scope is not found.
    drilled = client.get(url("officers", year=YEAR, status="all", unit="CS-A"))
    assert ("CS-A", "— CĐCS Công ty May Ba Đình (CS-A)") in unit_options(drilled)
    assert [o["display_name"] for o in drilled.context["officers"]] == ["Đỗ Văn Anh", "Lê Văn Cường"]
    assert "Cầu Giấy" not in drilled.content.decode()
    # The "(at the unit itself)" link's restriction is a visible box, not a hidden leftover.
    here = client.get(url("officers", year=YEAR, status="all", unit="Q-BD", here=1))
    assert [o["display_name"] for o in here.context["officers"]] == ["Trần Văn Bình"]
    assert 'name="here" value="1" checked> Chỉ vai trò tại chính đơn vị' in here.content.decode()
    for code in ("Q-CG", "CS-B", "HN"):
        assert client.get(url("officers", year=YEAR, unit=code)).status_code == 404
        assert client.get("/audit/export/officers.csv", {"year": YEAR, "unit": code}).status_code == 404


def test_manager_of_two_districts_sees_both_by_default_counting_each_person_once(
    client, tree, roster, manager_of_both
):
    from organizations.tests.factories import RoleAssignmentFactory

    # Someone holding roles in both districts: in each district's row, once in the headline.
    both = officer_with(tree["a"], Role.PROPAGANDIST, family_name="Hoàng", given_name="Yến")
    RoleAssignmentFactory(officer=both, unit=tree["gb"], role=Role.REPORTER, start_date=date(2020, 1, 1))
    client.force_login(manager_of_both)

    response = client.get(url("dashboard", year=YEAR))
    assert response.status_code == 200
    node = response.context["node"]
    assert node.is_scope and node.name == "LĐLĐ quận Ba Đình, LĐLĐ quận Cầu Giấy"
    rows = {r.node.code: r for r in response.context["page_obj"]}
    assert list(rows) == ["Q-BD", "Q-CG"]
    assert (rows["Q-BD"].figures["corps"].required, rows["Q-CG"].figures["corps"].required) == (3, 2)
    headline = response.context["headline"]
    # a_prop, ga_prop, gb_rep and Yến (not 3 + 2); the city's officer is not theirs.
    assert (headline["corps"].required, headline["corps"].done) == (4, 1)
    assert (headline["large_grassroots"].required, headline["large_grassroots"].done) == (2, 1)
    assert (headline["staffing"].required, headline["staffing"].done) == (3, 2)
    html = response.content.decode()
    assert 'data-unit="HN"' not in html and "Phạm Văn Lan" not in html
    assert f'href="?year={YEAR}&amp;unit=Q-CG"' in html

    # The other screens cover both districts too, and the city stays out of reach.
    officers = client.get(url("officers", year=YEAR, status="all")).context["officers"]
    assert [o["display_name"] for o in officers] == [
        "Đỗ Văn Anh",
        "Trần Văn Bình",
        "Lê Văn Cường",
        "Vũ Văn Hà",
        "Hoàng Văn Yến",
    ]
    roles = {r.role: r.figures["corps"].required for r in client.get(url("roles", year=YEAR)).context["rows"]}
    assert roles == {Role.PROPAGANDIST: 3, Role.REPORTER: 3, Role.GRASSROOTS_CHAIR: 0}
    assert [u["code"] for u in client.get(url("unstaffed", year=YEAR)).context["units"]] == ["Q-CG"]
    groups = client.get(url("charts", year=YEAR)).context["bars"]["groups"]
    assert [g["key"] for g in groups] == ["Q-BD", "Q-CG"]
    assert client.get(url("dashboard", year=YEAR, unit="HN")).status_code == 404

    # Drilling into one district offers the way back to both.
    district = client.get(url("dashboard", year=YEAR, unit="Q-CG"))
    assert district.context["headline"]["corps"].required == 2
    assert f'<a href="?year={YEAR}">Tất cả đơn vị được giao</a> ›' in district.content.decode()

    # The export of the default view holds the same figures.
    import io

    from openpyxl import load_workbook

    from training.audit.exports import HEADER_ROW

    book = load_workbook(io.BytesIO(client.get("/audit/export/dashboard.xlsx", {"year": YEAR}).content))
    summary = list(book["Tổng hợp"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [r[1:3] for r in summary] == [(3, 2), (4, 1), (2, 1)]
    units = list(book["Đơn vị"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [(r[1], r[7]) for r in units] == [("Q-BD", 3), ("Q-CG", 2)]
    assert book["Đơn vị"]["A1"].value.endswith("LĐLĐ quận Ba Đình, LĐLĐ quận Cầu Giấy")


def test_manager_of_one_district_still_starts_at_it(client, tree, roster, manager_a):
    client.force_login(manager_a)
    response = client.get(url("dashboard", year=YEAR, unit="CS-A"))
    assert [c.code for c in response.context["crumbs"]] == ["Q-BD"]
    assert "Tất cả đơn vị được giao" not in response.content.decode()
    assert not client.get(url("dashboard", year=YEAR)).context["node"].is_scope


def test_chart_geometry_is_written_with_a_decimal_point_in_vietnamese(client, auditor, tree, roster):
    """The Vietnamese locale writes 112,1; an SVG attribute needs 112.1 or the bar is not drawn."""
    import re

    client.force_login(auditor)
    html = client.get(url("charts", year=YEAR), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    bars = re.findall(r'<rect x="0" y="1" width="([^"]*)%" height="12" class="bar ', html)
    assert len(bars) >= 2 * 3 + 2 * 3  # three bars per district, three a year
    for width in bars:
        assert re.fullmatch(r"\d+(\.\d+)?", width), width
    assert "50.00" in bars  # Q-BD's corps rate
    for y in re.findall(r'<(?:svg|text) x="[^"]*" y="([^"]*)"', html):
        assert re.fullmatch(r"\d+(\.\d+)?", y), y
    # The rate itself is printed the Vietnamese way beside its bar.
    assert 'class="chart-value">50,00%</text>' in html


def test_officer_names_lead_to_their_ledger_history_where_the_viewer_may_open_it(
    client, auditor, manager_a, tree, roster
):
    history = reverse("training:officer_records", args=[roster["ga_prop"].pk])
    client.force_login(auditor)
    assert f'href="{history}"' in client.get(url("officers", year=YEAR)).content.decode()
    assert f'href="{history}"' in client.get(url("dashboard", year=YEAR, unit="CS-A")).content.decode()

    # A manager sees the name of someone holding a role in their subtree whose home unit is
    # elsewhere, but no link to a history page they could not open.
    outsider = officer_with(tree["gb"], Role.REPORTER, family_name="Mai", given_name="Xuân")
    from organizations.models import RoleAssignment

    RoleAssignment.objects.create(
        officer=outsider, unit=tree["ga"], role=Role.PROPAGANDIST, start_date=date(YEAR, 1, 1)
    )
    client.force_login(manager_a)
    body = client.get(url("officers", year=YEAR)).content.decode()
    assert f'href="{history}"' in body and client.get(history).status_code == 200
    outsider_history = reverse("training:officer_records", args=[outsider.pk])
    assert "Mai Văn Xuân" in body and outsider_history not in body
    assert client.get(outsider_history).status_code == 404


def test_a_grassroots_unions_charts_say_it_has_no_units_below_and_the_year_picker_keeps_the_year(
    client, auditor, tree, roster
):
    client.force_login(auditor)
    response = client.get(url("charts", year=YEAR, unit="CS-A"))
    assert response.context["bars"] is None
    body = response.content.decode()
    assert "không có đơn vị trực thuộc" in body and "<svg" in body  # the trend chart is still drawn
    later = YEAR + 3  # a year without requirements, reached by the address
    body = client.get(url("dashboard", year=later)).content.decode()
    assert f'<option value="{later}" selected' in body


def test_unit_lists_sort_names_in_the_vietnamese_alphabet(client, auditor, tree, program09):
    from organizations.models import UnitLevel
    from organizations.tests.factories import UnitFactory

    names = ["Ứng Hòa", "Tây Hồ", "Đông Anh", "Ba Vì"]  # by code point: Ba, Tây, Đông, Ứng
    for n, name in enumerate(names):
        UnitFactory(
            parent=tree["a"],
            level=UnitLevel.GRASSROOTS,
            code=f"VN-{n}",
            name=f"CĐCS {name}",
            worker_count=1500,
        )
    client.force_login(auditor)

    def ours(units):
        return [u["name"].removeprefix("CĐCS ") for u in units if u["code"].startswith("VN-")]

    listed = ours(client.get(url("unstaffed", year=YEAR)).context["units"])
    assert listed == ["Ba Vì", "Đông Anh", "Tây Hồ", "Ứng Hòa"]
    assert ours(client.get(url("unstaffed", year=YEAR, sort="-name")).context["units"]) == listed[::-1]

    rows = client.get(url("dashboard", year=YEAR, unit=tree["a"].code, sort="name")).context["page_obj"]
    drilled = [row.node.name.removeprefix("CĐCS ") for row in rows if row.node.code.startswith("VN-")]
    assert drilled == listed
