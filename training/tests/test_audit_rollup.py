"""Property: every rolled-up figure equals a brute-force count of distinct persons (or units)
in that subtree, on random trees, rosters and ledgers — for the whole tree, for a manager's
scope, and for a closed year after the roster has moved on."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import Officer, Role, RoleAssignment, Unit, UnitLevel
from training.audit.close_year import close_year
from training.audit.selectors import AuditSource, headline, node_of, officer_list, unit_table
from training.audit.services import ensure_program09
from training.audit.source import resolve_node
from training.models import RecordSource, TrainingKind, TrainingRecord

YEAR = 2026
WORKERS = [50, 999, 1000, 1500]
ROLES = [
    Role.PROPAGANDA_OFFICER,
    Role.REPORTER,
    Role.PROPAGANDIST,
    Role.OPINION_COLLABORATOR,
    Role.GRASSROOTS_CHAIR,
    Role.UNIT_MANAGER,
]
OFFICERS = 8


def dates_for(year: int) -> list[date]:
    """The dates that matter for ``year``: either side of its first and last day."""
    return [
        date(year - 1, 6, 1),
        date(year - 1, 12, 31),
        date(year, 1, 1),
        date(year, 7, 1),
        date(year, 12, 31),
        date(year + 1, 1, 1),
    ]


DATE_INDEX = st.integers(0, 5)
trees = st.lists(  # one entry per upper-level union: its grassroots unions' (workers, dissolved index)
    st.lists(st.tuples(st.sampled_from(WORKERS), st.sampled_from([None, 0, 1, 3])), max_size=3),
    min_size=1,
    max_size=3,
)
assignments = st.lists(
    st.tuples(
        st.integers(0, OFFICERS - 1),  # officer
        st.sampled_from(ROLES),
        st.integers(0, 20),  # unit index (mod number of units)
        DATE_INDEX,  # start
        st.one_of(st.none(), DATE_INDEX),  # end
    ),
    max_size=14,
)
records = st.lists(  # officer, date index, counts toward the requirement, voided
    st.tuples(st.integers(0, OFFICERS - 1), DATE_INDEX, st.booleans(), st.booleans()), max_size=10
)

CORPS_RULES = {
    Role.PROPAGANDA_OFFICER: lambda u: u["level"] in (UnitLevel.CITY, UnitLevel.UPPER),
    Role.REPORTER: lambda u: True,
    Role.PROPAGANDIST: lambda u: True,
    Role.OPINION_COLLABORATOR: lambda u: True,
}
LARGE_ROLES = {Role.GRASSROOTS_CHAIR, Role.REPORTER, Role.PROPAGANDIST}


@dataclass
class World:
    """A random tree, roster and ledger, as stored and as plain data for the brute force."""

    year: int
    units: list[dict]
    officers: list[Officer]
    assigned: list[dict]
    trained: set[int]

    def large(self, u) -> bool:
        return u["level"] == UnitLevel.GRASSROOTS and u["workers"] >= 1000

    def existed(self, u) -> bool:
        return u["dissolved"] is None or u["dissolved"] >= date(self.year, 1, 1)

    def overlaps(self, a) -> bool:
        return a["start"] <= date(self.year, 12, 31) and (
            a["end"] is None or a["end"] >= date(self.year, 1, 1)
        )

    def brute_force(self, *prefixes: str) -> dict:
        """The figures of the subtrees under ``prefixes``, counted one by one."""

        def inside(path):
            return any(path.startswith(p) for p in prefixes)

        units = [u for u in self.units if inside(u["path"])]
        live = [
            a
            for a in self.assigned
            if inside(a["unit"]["path"]) and self.overlaps(a) and self.existed(a["unit"])
        ]
        corps = {a["officer"] for a in live if a["role"] in CORPS_RULES and CORPS_RULES[a["role"]](a["unit"])}
        big = {a["officer"] for a in live if a["role"] in LARGE_ROLES and self.large(a["unit"])}
        need_staff = [
            u for u in units if self.existed(u) and (u["level"] == UnitLevel.UPPER or self.large(u))
        ]
        staffed = [
            u
            for u in need_staff
            if any(
                a["unit"] is u and a["role"] == Role.PROPAGANDIST and self.overlaps(a) for a in self.assigned
            )
        ]
        return {
            "staffing": (len(need_staff), len(staffed)),
            "corps": (len(corps), len(corps & self.trained)),
            "large_grassroots": (len(big), len(big & self.trained)),
        }


def build_world(shape, roster, ledger, year: int = YEAR) -> World:
    dates = dates_for(year)
    ensure_program09(year)
    city = Unit.add_root(code="HN", name="Thành phố", level=UnitLevel.CITY)
    units = [{"obj": city, "level": UnitLevel.CITY, "workers": 0, "dissolved": None}]
    for i, grassroots in enumerate(shape):
        city.refresh_from_db()
        upper = city.add_child(code=f"U{i}", name=f"Cấp trên {i}", level=UnitLevel.UPPER)
        units.append({"obj": upper, "level": UnitLevel.UPPER, "workers": 0, "dissolved": None})
        for j, (workers, dissolved) in enumerate(grassroots):
            upper.refresh_from_db()
            gone = None if dissolved is None else dates[dissolved]
            child = upper.add_child(
                code=f"G{i}-{j}",
                name=f"Cơ sở {i}-{j}",
                level=UnitLevel.GRASSROOTS,
                worker_count=workers,
                dissolved_on=gone,
            )
            units.append({"obj": child, "level": UnitLevel.GRASSROOTS, "workers": workers, "dissolved": gone})
    for u in units:
        u["obj"].refresh_from_db()
        u["path"] = u["obj"].path
    officers = [
        Officer.objects.create(family_name="Nguyễn", given_name=f"N{i}", unit=city) for i in range(OFFICERS)
    ]
    assigned = []
    for officer, role, unit_index, start, end in roster:
        unit = units[unit_index % len(units)]
        start_date = dates[start]
        end_date = None if end is None else max(dates[end], start_date)
        RoleAssignment.objects.create(
            officer=officers[officer], role=role, unit=unit["obj"], start_date=start_date, end_date=end_date
        )
        assigned.append(
            {"officer": officer, "role": role, "unit": unit, "start": start_date, "end": end_date}
        )
    trained = set()
    for officer, on, counts, voided in ledger:
        add_record(officers[officer], dates[on], counts=counts, voided=voided)
        if counts and not voided and dates[on].year == year:
            trained.add(officer)
    return World(year, units, officers, assigned, trained)


def add_record(officer, on: date, *, counts: bool = True, voided: bool = False) -> TrainingRecord:
    from django.utils import timezone

    return TrainingRecord.objects.create(
        officer=officer,
        kind=TrainingKind.IN_PERSON_CLASS,
        title="Lớp",
        completed_on=on,
        counts_toward_requirement=counts,
        source=RecordSource.MANUAL,
        voided_at=timezone.now() if voided else None,
    )


def as_pairs(figures):
    return {t: (f.required, f.done) for t, f in figures.items()}


PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=trees, roster=assignments, ledger=records)
def test_rollups_equal_brute_force_counts(db, shape, roster, ledger):
    with transaction.atomic():
        world = build_world(shape, roster, ledger)
        source = AuditSource.for_year(YEAR)
        for unit in world.units:
            node = node_of(unit["obj"])
            assert as_pairs(headline(source, None, node)) == world.brute_force(unit["path"])
            totals, rows = unit_table(source, None, node)
            assert as_pairs(totals) == world.brute_force(unit["path"])
            for row in rows:
                if row.is_self:
                    continue
                assert as_pairs(row.figures) == world.brute_force(row.node.path), row.node.code
        transaction.set_rollback(True)


@PROPERTY
@given(
    shape=trees,
    roster=assignments,
    ledger=records,
    managed=st.lists(st.integers(0, 20), min_size=1, max_size=3),
)
def test_a_managers_view_equals_brute_force_over_their_subtrees_only(db, shape, roster, ledger, managed):
    with transaction.atomic():
        world = build_world(shape, roster, ledger)
        # A manager of one to three units (possibly nested, possibly in separate subtrees).
        user = get_user_model().objects.create(username="manager@example.vn", email="manager@example.vn")
        officer = Officer.objects.create(
            family_name="Quản", given_name="Lý", unit=world.units[0]["obj"], user=user
        )
        paths = set()
        for index in managed:
            unit = world.units[index % len(world.units)]
            RoleAssignment.objects.create(
                officer=officer, role=Role.UNIT_MANAGER, unit=unit["obj"], start_date=date(2020, 1, 1)
            )
            paths.add(unit["path"])
        tops = sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))

        def in_scope(path):
            return any(path.startswith(top) for top in tops)

        source = AuditSource.for_year(YEAR)
        expected = world.brute_force(*tops)
        # The default view covers every managed subtree, each person counted once.
        assert as_pairs(headline(source, user, None)) == expected
        node = resolve_node(source, user, None)
        if node is not None:
            assert as_pairs(headline(source, user, node)) == expected
            totals, rows = unit_table(source, user, node)
            assert as_pairs(totals) == expected
            for row in rows:
                assert in_scope(row.node.path)
                if not row.is_self:
                    assert as_pairs(row.figures) == world.brute_force(row.node.path), row.node.code
        # Any unit of theirs shows its own subtree; any other is out of reach.
        for unit in world.units:
            if in_scope(unit["path"]) and world.existed(unit):
                seen = resolve_node(source, user, unit["obj"].code)
                assert as_pairs(headline(source, user, seen)) == world.brute_force(unit["path"])
            else:
                with pytest.raises(LookupError):
                    resolve_node(source, user, unit["obj"].code)
        transaction.set_rollback(True)


CLOSED = YEAR - 1
AFTER_CLOSED = date(CLOSED + 1, 1, 2)  # closing is allowed from the next year: pinned, not today
edits = st.lists(
    st.one_of(
        st.tuples(
            st.just("assign"),
            st.integers(0, OFFICERS - 1),
            st.sampled_from(ROLES),
            st.integers(0, 20),
            DATE_INDEX,
        ),
        st.tuples(st.just("end"), st.integers(0, 20), DATE_INDEX),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
        st.tuples(st.just("workers"), st.integers(0, 20), st.sampled_from(WORKERS)),
        st.tuples(st.just("dissolve"), st.integers(0, 20), DATE_INDEX),
        st.tuples(st.just("record"), st.integers(0, OFFICERS - 1), DATE_INDEX, st.booleans()),
        st.tuples(st.just("void"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=8,
)


def apply_edit(world: World, edit) -> None:
    """One roster or ledger change after the year was closed, through the ORM."""
    dates = dates_for(world.year)
    units = [u["obj"] for u in world.units]
    kind, *args = edit
    stored = list(RoleAssignment.objects.filter(officer__in=world.officers).order_by("pk"))
    records_ = list(TrainingRecord.objects.filter(voided_at__isnull=True).order_by("pk"))
    if kind == "assign":
        officer, role, unit, start = args
        RoleAssignment.objects.create(
            officer=world.officers[officer], role=role, unit=units[unit % len(units)], start_date=dates[start]
        )
    elif kind == "end" and stored:
        assignment = stored[args[0] % len(stored)]
        RoleAssignment.objects.filter(pk=assignment.pk).update(
            end_date=max(dates[args[1]], assignment.start_date)
        )
    elif kind == "move" and stored:
        RoleAssignment.objects.filter(pk=stored[args[0] % len(stored)].pk).update(
            unit=units[args[1] % len(units)]
        )
    elif kind == "workers":
        Unit.objects.filter(pk=units[args[0] % len(units)].pk).update(worker_count=args[1])
    elif kind == "dissolve":
        Unit.objects.filter(pk=units[args[0] % len(units)].pk).update(
            dissolved_on=dates[args[1]], name="Đã giải thể"
        )
    elif kind == "record":
        officer, on, counts = args
        add_record(world.officers[officer], dates[on], counts=counts)
    elif kind == "void" and records_:
        from django.utils import timezone

        TrainingRecord.objects.filter(pk=records_[args[0] % len(records_)].pk).update(
            voided_at=timezone.now(), void_reason="Ghi nhầm"
        )


def audit_figures(world: World) -> dict:
    """Everything the audit shows of the year: each unit's headline and drill-down, and who is
    not yet trained."""
    source = AuditSource.for_year(world.year)
    seen = {}
    for unit in world.units:
        node = node_of(unit["obj"])
        totals, rows = unit_table(source, None, node)
        seen[unit["path"]] = (
            as_pairs(headline(source, None, node)),
            as_pairs(totals),
            [(row.node.code, row.is_self, as_pairs(row.figures)) for row in rows],
        )
    seen["untrained"] = [r["officer_id"] for r in officer_list(source, None, None, status="untrained")]
    return seen


@PROPERTY
@given(shape=trees, roster=assignments, ledger=records, changes=edits)
def test_a_closed_years_figures_do_not_move_when_the_roster_changes(db, shape, roster, ledger, changes):
    with transaction.atomic():
        world = build_world(shape, roster, ledger, year=CLOSED)
        at_closing = audit_figures(world)
        assert at_closing[world.units[0]["path"]][0] == world.brute_force(world.units[0]["path"])
        close_year(year=CLOSED, by=None, today=AFTER_CLOSED)
        for change in changes:
            apply_edit(world, change)
        assert AuditSource.for_year(CLOSED).frozen
        assert audit_figures(world) == at_closing
        transaction.set_rollback(True)
