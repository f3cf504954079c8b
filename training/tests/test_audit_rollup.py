"""Property: every rolled-up figure equals a brute-force count of distinct persons (or units)
in that subtree, on random trees, rosters and ledgers."""

from datetime import date

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import Officer, Role, RoleAssignment, Unit, UnitLevel
from training.audit_services import ensure_program09
from training.models import RecordSource, TrainingKind, TrainingRecord
from training.selectors import AuditSource, headline, node_of, unit_table

YEAR = 2026
DATES = [
    date(2025, 6, 1),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 7, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
]
WORKERS = [50, 999, 1000, 1500]
ROLES = [
    Role.PROPAGANDA_OFFICER,
    Role.REPORTER,
    Role.PROPAGANDIST,
    Role.OPINION_COLLABORATOR,
    Role.GRASSROOTS_CHAIR,
    Role.UNIT_MANAGER,
]

trees = st.lists(  # one entry per upper-level union: its grassroots unions' (workers, dissolved index)
    st.lists(st.tuples(st.sampled_from(WORKERS), st.sampled_from([None, 0, 1, 3])), max_size=3),
    min_size=1,
    max_size=3,
)
assignments = st.lists(
    st.tuples(
        st.integers(0, 7),  # officer
        st.sampled_from(ROLES),
        st.integers(0, 20),  # unit index (mod number of units)
        st.integers(0, len(DATES) - 1),  # start
        st.one_of(st.none(), st.integers(0, len(DATES) - 1)),  # end
    ),
    max_size=14,
)
records = st.lists(
    st.tuples(st.integers(0, 7), st.sampled_from(DATES), st.booleans(), st.booleans()), max_size=10
)

CORPS_RULES = {
    Role.PROPAGANDA_OFFICER: lambda u: u["level"] in (UnitLevel.CITY, UnitLevel.UPPER),
    Role.REPORTER: lambda u: True,
    Role.PROPAGANDIST: lambda u: True,
    Role.OPINION_COLLABORATOR: lambda u: True,
}
LARGE_ROLES = {Role.GRASSROOTS_CHAIR, Role.REPORTER, Role.PROPAGANDIST}


def large(u):
    return u["level"] == UnitLevel.GRASSROOTS and u["workers"] >= 1000


def existed(u):
    return u["dissolved"] is None or u["dissolved"] >= date(YEAR, 1, 1)


def overlaps(a):
    return a["start"] <= date(YEAR, 12, 31) and (a["end"] is None or a["end"] >= date(YEAR, 1, 1))


def brute_force(units, assigned, trained, prefix):
    inside = [u for u in units if u["path"].startswith(prefix)]
    live = [
        a for a in assigned if a["unit"]["path"].startswith(prefix) and overlaps(a) and existed(a["unit"])
    ]
    corps = {a["officer"] for a in live if a["role"] in CORPS_RULES and CORPS_RULES[a["role"]](a["unit"])}
    big = {a["officer"] for a in live if a["role"] in LARGE_ROLES and large(a["unit"])}
    need_staff = [u for u in inside if existed(u) and (u["level"] == UnitLevel.UPPER or large(u))]
    staffed = [
        u
        for u in need_staff
        if any(a["unit"] is u and a["role"] == Role.PROPAGANDIST and overlaps(a) for a in assigned)
    ]
    return {
        "staffing": (len(need_staff), len(staffed)),
        "corps": (len(corps), len(corps & trained)),
        "large_grassroots": (len(big), len(big & trained)),
    }


def as_pairs(figures):
    return {t: (f.required, f.done) for t, f in figures.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=trees, roster=assignments, ledger=records)
def test_rollups_equal_brute_force_counts(db, shape, roster, ledger):
    with transaction.atomic():
        ensure_program09(YEAR)
        city = Unit.add_root(code="HN", name="Thành phố", level=UnitLevel.CITY)
        units = [{"obj": city, "level": UnitLevel.CITY, "workers": 0, "dissolved": None}]
        for i, grassroots in enumerate(shape):
            city.refresh_from_db()
            upper = city.add_child(code=f"U{i}", name=f"Cấp trên {i}", level=UnitLevel.UPPER)
            units.append({"obj": upper, "level": UnitLevel.UPPER, "workers": 0, "dissolved": None})
            for j, (workers, dissolved) in enumerate(grassroots):
                upper.refresh_from_db()
                gone = None if dissolved is None else DATES[dissolved]
                child = upper.add_child(
                    code=f"G{i}-{j}",
                    name=f"Cơ sở {i}-{j}",
                    level=UnitLevel.GRASSROOTS,
                    worker_count=workers,
                    dissolved_on=gone,
                )
                units.append(
                    {"obj": child, "level": UnitLevel.GRASSROOTS, "workers": workers, "dissolved": gone}
                )
        for u in units:
            u["obj"].refresh_from_db()
            u["path"] = u["obj"].path
        officers = [
            Officer.objects.create(family_name="Nguyễn", given_name=f"N{i}", unit=city) for i in range(8)
        ]
        assigned = []
        for officer, role, unit_index, start, end in roster:
            unit = units[unit_index % len(units)]
            start_date = DATES[start]
            end_date = None if end is None else max(DATES[end], start_date)
            RoleAssignment.objects.create(
                officer=officers[officer],
                role=role,
                unit=unit["obj"],
                start_date=start_date,
                end_date=end_date,
            )
            assigned.append(
                {"officer": officer, "role": role, "unit": unit, "start": start_date, "end": end_date}
            )
        trained = set()
        for officer, on, counts, voided in ledger:
            TrainingRecord.objects.create(
                officer=officers[officer],
                kind=TrainingKind.IN_PERSON_CLASS,
                title="Lớp",
                completed_on=on,
                counts_toward_requirement=counts,
                source=RecordSource.MANUAL,
                voided_at=date(2026, 1, 2) if voided else None,
            )
            if counts and not voided and on.year == YEAR:
                trained.add(officer)

        source = AuditSource.for_year(YEAR)
        for unit in units:
            node = node_of(unit["obj"])
            assert as_pairs(headline(source, None, node)) == brute_force(
                units, assigned, trained, unit["path"]
            )
            totals, rows = unit_table(source, None, node)
            assert as_pairs(totals) == brute_force(units, assigned, trained, unit["path"])
            for row in rows:
                if row.is_self:
                    continue
                expected = brute_force(units, assigned, trained, row.node.path)
                assert as_pairs(row.figures) == expected, row.node.code
        transaction.set_rollback(True)
