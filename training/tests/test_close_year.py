"""A closed year's audit is frozen; reopening is explicit and logged."""

from datetime import date

import pytest

from organizations.models import Role, RoleAssignment, Unit
from organizations.services import end_role, move_officer
from training.audit.close_year import close_year, reopen_year
from training.audit.selectors import AuditSource, node_of, officer_list, unit_rows
from training.ledger.services import void_record
from training.models import TrainingRecord, YearClosure, YearClosureEvent

from .audit_helpers import (
    CORPS,
    LARGE,
    STAFFING,
    YEAR,
    figures,
    officer_with,
    program09_fixture,  # noqa: F401  (fixture)
    record,
)

AFTER_THE_YEAR = date(YEAR + 1, 1, 2)


@pytest.fixture
def roster(tree, program09):
    trained = officer_with(tree["ga"], Role.PROPAGANDIST, given_name="Anh")
    untrained = officer_with(tree["gb"], Role.REPORTER, given_name="Hà")
    record(trained, date(YEAR, 3, 1))
    return {"trained": trained, "untrained": untrained}


def test_closed_year_does_not_move_when_the_roster_and_ledger_change(tree, roster, auditor):
    before = figures()
    rows_before = [
        (r.node.code, r.figures) for r in unit_rows(AuditSource.for_year(YEAR), None, node_of(tree["city"]))
    ]
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    # Later edits: a role ended before the year, a move, a new officer, a new record, a unit grows.
    end_role(
        assignment=RoleAssignment.objects.get(officer=roster["untrained"]), end_date=date(YEAR - 1, 1, 1)
    )
    move_officer(officer=roster["trained"], to_unit=tree["gb"], on=date(YEAR, 1, 1))
    officer_with(tree["a"], Role.PROPAGANDIST)
    record(roster["untrained"], date(YEAR, 6, 1))
    Unit.objects.filter(pk=tree["gb"].pk).update(worker_count=5000, name="Đổi tên")
    void_record(record=TrainingRecord.objects.get(officer=roster["trained"]), by=auditor, reason="Ghi nhầm")

    assert figures() == before
    source = AuditSource.for_year(YEAR)
    assert source.frozen
    rows_after = [(r.node.code, r.figures) for r in unit_rows(source, None, node_of(tree["city"]))]
    assert rows_after == rows_before
    names = [r["display_name"] for r in officer_list(source, None, None, status="untrained")]
    assert names == ["Nguyễn Văn Hà"]


def test_reopening_is_explicit_logged_and_recomputes_live(tree, roster, auditor):
    close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    officer_with(tree["a"], Role.PROPAGANDIST)
    assert figures()[CORPS] == (2, 1)
    with pytest.raises(ValueError):
        reopen_year(year=YEAR, by=auditor, reason=" ")
    assert figures()[CORPS] == (2, 1)
    reopen_year(year=YEAR, by=auditor, reason="Bổ sung cán bộ còn thiếu")
    assert figures()[CORPS] == (3, 1)
    assert figures()[STAFFING] == (3, 2)
    log = list(YearClosureEvent.objects.order_by("id").values_list("action", "reason"))
    assert log == [("close", ""), ("reopen", "Bổ sung cán bộ còn thiếu")]
    with pytest.raises(ValueError):
        reopen_year(year=YEAR, by=auditor, reason="again")


def test_closing_twice_changes_nothing(tree, roster, auditor):
    first = close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    officer_with(tree["a"], Role.PROPAGANDIST)
    again = close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    assert first.pk == again.pk and figures()[CORPS] == (2, 1)
    assert YearClosureEvent.objects.count() == 1
    assert YearClosure.objects.get().headline["corps"] == {"required": 2, "done": 1}
    assert figures()[LARGE] == (1, 1)


CONFIRM = {"confirm": "yes"}


def test_closing_from_the_screen_requires_an_auditor(client, tree, roster, auditor, manager_a):
    past = YEAR - 1  # a past year whatever today's date is
    client.force_login(manager_a)
    assert client.get(f"/audit/years/{past}/close/").status_code == 403
    assert client.post(f"/audit/years/{past}/close/", CONFIRM).status_code == 403
    assert not YearClosure.objects.exists()
    client.force_login(auditor)
    response = client.post(f"/audit/years/{past}/close/", CONFIRM, follow=True)
    assert "Đã khóa năm" in response.content.decode()
    page = client.get("/audit/", {"year": past})
    assert "Năm đã khóa" in page.content.decode()
    response = client.post(f"/audit/years/{past}/reopen/", {"reason": ""}, follow=True)
    assert "Cần nêu lý do" in response.content.decode()
    assert YearClosure.objects.get().is_closed
    client.post(f"/audit/years/{past}/reopen/", {"reason": "Sửa số liệu"})
    assert not YearClosure.objects.get().is_closed


def test_closing_asks_first_and_spells_out_what_it_does(
    client, tree, roster, auditor, django_assert_max_num_queries, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: AFTER_THE_YEAR)
    client.force_login(auditor)
    years = client.get("/audit/years/").content.decode()
    assert f'<a class="button button--small" href="/audit/years/{YEAR}/close/">Khóa sổ năm</a>' in years
    with django_assert_max_num_queries(20):
        page = client.get(f"/audit/years/{YEAR}/close/")
    html = page.content.decode()
    assert f"Khóa sổ năm {YEAR}?" in html
    for consequence in (
        f"Số liệu năm {YEAR} được giữ nguyên như hiện nay",
        "không còn làm thay đổi số liệu",
        f"Không thể sửa các yêu cầu của năm {YEAR} nữa",
        "phải nêu lý do và được ghi vào nhật ký",
    ):
        assert consequence in html, consequence
    # The figures as they will be frozen: one of the two officers of target 2 is trained.
    assert "1/2 cán bộ đã bồi dưỡng" in html or "1 trên 2 cán bộ đã bồi dưỡng" in html
    assert 'name="confirm" value="yes"' in html
    # A post without the confirmation (an old form, a stray request) only leads to this page.
    response = client.post(f"/audit/years/{YEAR}/close/")
    assert response["Location"] == f"/audit/years/{YEAR}/close/"
    assert not YearClosure.objects.exists() and not YearClosureEvent.objects.exists()
    client.post(f"/audit/years/{YEAR}/close/", CONFIRM)
    assert YearClosure.objects.get(year=YEAR).is_closed
    # Once closed, the page says so instead of asking again.
    response = client.get(f"/audit/years/{YEAR}/close/", follow=True)
    assert response.redirect_chain == [("/audit/years/", 302)]
    assert f"Năm {YEAR} đã khóa sổ." in response.content.decode()


def test_the_current_or_a_future_year_cannot_be_closed(client, tree, roster, auditor):
    from django.utils import timezone

    from training.audit.close_year import YearNotOverError
    from training.audit.services import copy_year_forward

    with pytest.raises(YearNotOverError):
        close_year(year=YEAR, by=auditor, today=date(YEAR, 12, 31))
    with pytest.raises(YearNotOverError):
        close_year(year=YEAR + 1, by=auditor, today=AFTER_THE_YEAR)
    assert not YearClosure.objects.exists() and not YearClosureEvent.objects.exists()
    assert close_year(year=YEAR, by=auditor, today=date(YEAR + 1, 1, 1)).is_closed

    this_year = timezone.localdate().year
    copy_year_forward(from_year=YEAR, to_year=this_year + 1)
    client.force_login(auditor)
    page = client.get("/audit/years/").content.decode()
    assert f'/audit/years/{this_year + 1}/close/"' not in page
    assert "Chưa hết năm" in page
    response = client.get(f"/audit/years/{this_year + 1}/close/", follow=True)
    assert f"Năm {this_year + 1} chưa kết thúc: có thể khóa từ ngày 1/1/{this_year + 2}." in (
        response.content.decode()
    )
    assert not YearClosure.objects.filter(year=this_year + 1).exists()


def test_a_year_without_requirements_or_already_open_is_refused_with_a_clear_message(
    client, tree, roster, auditor
):
    client.force_login(auditor)
    response = client.post("/audit/years/2001/close/", follow=True)
    assert "Năm 2001 chưa có yêu cầu bồi dưỡng nào: không có gì để khóa sổ." in response.content.decode()
    assert not YearClosure.objects.exists() and not YearClosureEvent.objects.exists()
    assert "2001" not in client.get("/audit/years/").context["rows"].__repr__()

    past = YEAR - 1
    client.post(f"/audit/years/{past}/close/", CONFIRM)
    client.post(f"/audit/years/{past}/reopen/", {"reason": "Sửa số liệu"})
    # A second click on "Reopen" (the year is already open) says so instead of asking for a reason.
    response = client.post(f"/audit/years/{past}/reopen/", {"reason": "Sửa số liệu"}, follow=True)
    assert f"Năm {past} chưa khóa sổ." in response.content.decode()
    assert YearClosureEvent.objects.count() == 2


def test_the_log_names_who_closed_and_reopened(client, tree, roster, auditor):
    auditor.first_name, auditor.last_name = "Lan", "Phạm Thị"
    auditor.save()
    client.force_login(auditor)
    client.post(f"/audit/years/{YEAR - 1}/close/", CONFIRM)
    client.post(f"/audit/years/{YEAR - 1}/reopen/", {"reason": "Bổ sung lớp tập huấn"})
    body = client.get("/audit/years/").content.decode()
    assert f"{YEAR - 1} · Đã mở lại · Phạm Thị Lan · Bổ sung lớp tập huấn</li>" in body
    assert f"{YEAR - 1} · Đã khóa · Phạm Thị Lan</li>" in body


@pytest.mark.django_db(transaction=True)
def test_closing_a_year_makes_its_own_transaction(tree, roster, auditor):
    # Outside any transaction, as the screen calls it: the closure's row lock (PostgreSQL) needs one,
    # and a snapshot half written must not survive an error.
    closure = close_year(year=YEAR, by=auditor, today=AFTER_THE_YEAR)
    assert closure.is_closed and closure.assignments.exists()
