"""Reads for the audit screens and exports.

Every figure is a count of distinct persons (or units) computed by the database in one
aggregated statement per target; a unit's ancestors are read off treebeard's fixed-width
materialized path (``Substr(path, 1, 4 * depth)``), so a drill-down level is one
``GROUP BY``. A page runs a fixed handful of queries whatever the size of the tree.

An open year is computed live from the roster and the ledger; a closed year reads its
snapshot tables with the same aggregation, so its figures never move (``source.AuditSource``).
All functions take the viewing ``user`` and scope every row through
``organizations.scope`` (``user=None`` means the whole tree, for system jobs only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr

from core.numbers import percent as percent_of
from core.vietnamese.collation import vietnamese
from core.vietnamese.names import full_name, text_sort_key
from organizations.models import Officer, Role, Unit
from organizations.search import officer_matches, search_words
from organizations.selectors import search_officers

from ..models import Assignment, Requirement, RequirementTarget, SnapshotAssignment, YearClosure
from . import rules
from .source import STEP, AuditSource, Node, node_of, scope_q, under

# --- Figures -----------------------------------------------------------------------------------


@dataclass
class Figure:
    required: int = 0
    done: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.done

    @property
    def percent(self) -> Decimal | None:
        """Two decimals, halves rounded up (the department's rule); None when nobody is required."""
        return percent_of(self.done, self.required)

    def as_dict(self) -> dict:
        return {"required": self.required, "done": self.done}


def _is_wide(node: Node | None) -> bool:
    """Whether a statement about ``node`` covers a city's worth of rows (the whole tree, or a
    scope that includes it), where "trained" is joined once as a set; below that (an upper-level
    union's subtree, a grassroots union) it is checked per row through the ledger's index."""
    if node is None:
        return True
    if node.is_scope:
        return any(len(root) < 2 * STEP for root in node.roots)
    return node.depth < 2


def _rollup(
    qs, key: str, done: Q, *, bucket=None, total: bool = True, trained_ids=None
) -> tuple[Figure, dict[str, Figure]]:
    """Distinct ``key`` values of ``qs`` (and of those that are done) in total and/or per
    ``bucket``, in ONE statement: ``GROUPING SETS`` on PostgreSQL, a ``UNION ALL`` elsewhere.

    Done is ``done`` tested on each row, or, given ``trained_ids`` (a subquery of officer ids),
    the rows whose ``key`` is in that set, joined once: a ``LEFT JOIN`` that PostgreSQL runs as a
    hash join at any size, where a hashed ``IN`` in the select list turns into a per-row re-run
    once the set outgrows ``work_mem`` (the cliff seen at three times Hanoi).
    """
    columns = {"k": F(key)}
    if bucket is not None:
        columns["b"] = bucket
    if trained_ids is None:
        columns["d"] = ExpressionWrapper(done, output_field=BooleanField())
    facts = qs.annotate(**columns).values_list(*columns).order_by()
    inner, params = facts.query.sql_with_params()
    source, is_done = f"({inner}) f", "f.d"
    if trained_ids is not None:
        ids_sql, ids_params = trained_ids.query.sql_with_params()
        source += f" LEFT JOIN ({ids_sql}) t ON t.officer_id = f.k"
        params = (*params, *ids_params)
        is_done = "t.officer_id IS NOT NULL"
    postgres = connection.vendor == "postgresql"
    if postgres:
        counts = f"COUNT(DISTINCT f.k), COUNT(DISTINCT f.k) FILTER (WHERE {is_done}) FROM {source}"
    else:
        counts = f"COUNT(DISTINCT f.k), COUNT(DISTINCT CASE WHEN {is_done} THEN f.k END) FROM {source}"
    if bucket is None:
        sql = f"SELECT NULL, {counts}"
    elif not total:
        sql = f"SELECT f.b, {counts} GROUP BY f.b"
    elif postgres:
        sql = f"SELECT f.b, {counts} GROUP BY GROUPING SETS ((f.b), ())"
    else:
        sql = f"SELECT f.b, {counts} GROUP BY f.b UNION ALL SELECT NULL, {counts}"
        params = (*params, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    figures, buckets = Figure(), {}
    for group, required, met in result:
        if group is None:
            figures = Figure(required or 0, met or 0)
        else:
            buckets[group] = Figure(required, met)
    return figures, buckets


def _training_rollup(source: AuditSource, target, user, node: Node | None, *, bucket=None, total=True):
    """``_rollup`` of a training target's distinct persons in ``node``, grouped by ``bucket(path
    field)`` if given; None when the year sets no such target. Trained is joined as a set over a
    whole city, checked per row below that."""
    facts = source.facts(target)
    if facts is None:
        return None
    qs = facts.rows.filter(scope_q(user, facts.path), under(node, facts.path))
    return _rollup(
        qs,
        "officer_id",
        facts.trained,
        bucket=bucket and bucket(facts.path),
        total=total,
        trained_ids=facts.trained_ids if _is_wide(node) else None,
    )


def _staffing_rollup(source: AuditSource, user, node: Node | None, *, bucket=None):
    """``_rollup`` of the units the staffing target concerns in ``node`` (None: no such target)."""
    staffing = source.staffing()
    if staffing is None:
        return None
    qs, path, staffed = staffing
    qs = qs.filter(scope_q(user, path), under(node, path))
    return _rollup(qs, "id", staffed, bucket=bucket and bucket(path))


def _bucket(node: Node, path: str):
    """Which row of ``node``'s unit table a fact falls in, as an expression: its ancestor one level
    below ``node`` (a path prefix), or for a scope node the managed unit it lies under."""
    if not node.is_scope:
        return Substr(path, 1, node.child_depth_len)
    whens = [When(Q(**{f"{path}__startswith": root}), then=Value(root)) for root in node.roots]
    return Case(*whens, default=Value(""), output_field=CharField())


def drilldown(source: AuditSource, user, node: Node) -> tuple[dict, dict]:
    """Headline figures of ``node`` and the figures of each of its children (by path), one
    statement per target. Returns ({target: Figure|None}, {target: {child path: Figure}|None}).
    For a scope node the children are the managed units, and the totals count each person once
    across all of them."""
    totals, children = {}, {}

    def bucket(path):
        return _bucket(node, path)

    result = _staffing_rollup(source, user, node, bucket=bucket)
    totals[RequirementTarget.STAFFING], children[RequirementTarget.STAFFING] = result or (None, None)
    for target in rules.TRAINING_TARGETS:
        result = _training_rollup(source, target, user, node, bucket=bucket)
        totals[target], children[target] = result or (None, None)
    return totals, children


def headline(source: AuditSource, user, node: Node | None) -> dict[str, Figure | None]:
    """Figures per target for ``node``'s subtree (or the user's whole scope). Three queries.

    Staffing counts units; the training targets count distinct persons.
    """
    staffing = _staffing_rollup(source, user, node)
    figures = {RequirementTarget.STAFFING: staffing and staffing[0]}
    for target in rules.TRAINING_TARGETS:
        result = _training_rollup(source, target, user, node)
        figures[target] = result and result[0]
    return figures


@dataclass
class UnitRow:
    node: Node
    figures: dict[str, Figure | None]
    is_self: bool = False  # roles held at the viewed unit itself, not in a child

    def percent(self, target: str) -> Decimal | None:
        figure = self.figures.get(target)
        return figure.percent if figure else None


UNIT_SORTS = {
    "name": lambda r: (not r.is_self, text_sort_key(r.node.name)),
    "code": lambda r: r.node.code,
    "workers": lambda r: r.node.worker_count,
    **{t.value: (lambda r, t=t.value: r.percent(t)) for t in RequirementTarget},
}


def unit_rows(source: AuditSource, user, node: Node, *, sort: str = "") -> list[UnitRow]:
    """The rows of ``unit_table``."""
    return unit_table(source, user, node, sort=sort)[1]


def unit_table(source: AuditSource, user, node: Node, *, sort: str = "") -> tuple[dict, list[UnitRow]]:
    """The drill-down: ``node``'s headline figures and one row per child of ``node`` (and one for
    the unit itself when roles are held there), each with the figures of its whole subtree.
    Four queries: the children, then one statement per target.

    A child's figures count distinct persons in its subtree, so rows need not add up to
    the node's total when people hold roles in several places. A scope node's rows are the
    units the manager manages; it has no unit of its own.
    """
    if node is None:
        return headline(source, user, None), []
    children = source.units().filter(scope_q(user, "path"))
    if node.is_scope:
        children = children.filter(path__in=node.roots)
    else:
        children = children.filter(path__startswith=node.path, depth=node.depth + 1)
    children = list(children.order_by("path"))
    totals, grouped = drilldown(source, user, node)

    def figures_for(path):
        return {t: (None if g is None else g.get(path, Figure())) for t, g in grouped.items()}

    rows = [UnitRow(node_of(c), figures_for(c.path)) for c in children]
    own = figures_for(node.path)
    if not node.is_scope and any(f and f.required for f in own.values()):
        rows.insert(0, UnitRow(node, own, is_self=True))
    return totals, sort_rows(rows, sort, UNIT_SORTS)


def sort_rows(rows: list, sort: str, keys: dict) -> list:
    """Rows sorted by ``keys[sort]`` ("-name" descending); rows whose key is None (no rate: "—")
    come last either way."""
    descending = sort.startswith("-")
    key = keys.get(sort.lstrip("-"))
    if key is None:
        return rows
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=descending) + missing


@dataclass
class RoleRow:
    role: str
    figures: dict[str, Figure | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Role(self.role).label


def role_rows(source: AuditSource, user, node: Node | None, *, sort: str = "role") -> list[RoleRow]:
    """Distinct persons per role for each training target. A person with two roles counts in both
    rows (and once in the total). Two queries."""
    per_target = {}
    for t in rules.TRAINING_TARGETS:
        result = _training_rollup(source, t, user, node, bucket=lambda _path: F("role"), total=False)
        per_target[t] = result and result[1]
    rows = []
    for role in Role:
        figures = {t: (None if g is None else g.get(role.value)) for t, g in per_target.items()}
        if any(figures.values()):
            rows.append(RoleRow(role.value, {t: f or Figure() for t, f in figures.items()}))
    keys = {
        "role": lambda r: r.label,
        **{t.value: (lambda r, t=t.value: r.figures[t].percent) for t in rules.TRAINING_TARGETS},
    }
    return sort_rows(rows, sort, keys)


# --- Lists of people and units ----------------------------------------------------------------


OFFICER_SORTS = {"name": ["name_key", "officer_id"], "code": ["staff_code", "officer_id"]}


def officer_list(
    source: AuditSource,
    user,
    node: Node | None,
    *,
    target: str = "",
    role: str = "",
    search: str = "",
    status: str = "untrained",
    sort: str = "name",
    only_here: bool = False,
) -> QuerySet:
    """Required officers in scope as dicts (officer_id, display_name, staff_code, name_key), sorted by
    the Vietnamese name sort key. ``status``: "untrained" (not trained for a target that requires
    them), "in_progress" (of those, the ones who have begun a course assigned to them for the
    year: "đang học"), "trained" or "all". One query for the rows (plus a count when paged)."""
    targets = [target] if target in rules.TRAINING_TARGETS else list(rules.TRAINING_TARGETS)
    required, untrained = [], []
    for t in targets:
        facts = source.facts(t)
        if facts is None:
            continue
        qs = facts.rows.filter(scope_q(user, facts.path), under(node, facts.path))
        if only_here and node is not None and not node.is_scope:
            qs = qs.filter(**{facts.path: node.path})
        if role:
            qs = qs.filter(role=role)
        required.append(qs.values("officer_id"))
        untrained.append(qs.exclude(facts.trained).values("officer_id"))

    key = "officer_id" if source.frozen else "id"

    def any_of(subqueries) -> Q:
        # One semi-join over a UNION ALL: "id IN (a) OR id IN (b)" cannot be planned as a join,
        # and each hashed IN becomes a per-row re-run once it outgrows work_mem.
        if not subqueries:
            return Q(pk__in=[])
        first, *rest = subqueries
        return Q(**{f"{key}__in": first.union(*rest, all=True) if rest else first})

    if status == "untrained":
        condition = any_of(untrained)
    elif status == "in_progress":
        condition = any_of(untrained) & Q(**{f"{key}__in": started_officers(source.year)})
    elif status == "trained":
        # Required and not untrained for any target: anti-joins (NOT EXISTS), never NOT IN.
        condition = any_of(required)
        for subquery in untrained:
            condition &= ~Q(Exists(subquery.filter(officer_id=OuterRef(key))))
    else:
        condition = any_of(required)
    if source.frozen:
        rows = SnapshotAssignment.objects.filter(closure=source.closure).filter(condition)
        # The name as frozen, or the officer's (folded: with or without diacritics) as it is now.
        for word in search_words(search):
            rows = rows.filter(Q(full_name__icontains=word) | officer_matches(word, "officer__"))
        rows = rows.values("officer_id").annotate(
            display_name=Max("full_name"), name_key=Max("sort_key"), staff_code=Max("officer_code")
        )
    else:
        rows = Officer.objects.filter(condition)
        rows = search_officers(rows, search)
        rows = rows.values(
            "family_name",
            "middle_name",
            "given_name",
            officer_id=F("id"),
            name_key=F("sort_key"),
            staff_code=F("code"),
        )
    descending = sort.startswith("-")
    order = OFFICER_SORTS.get(sort.lstrip("-"), OFFICER_SORTS["name"])
    return rows.order_by(*[f"-{f}" if descending else f for f in order])


def started_officers(year: int) -> QuerySet:
    """Ids of officers who have begun a course assigned to them for ``year`` (a lazy subquery)."""
    return Assignment.objects.started().filter(year=year).values("officer_id")


def describe_officers(source: AuditSource, user, rows: list[dict], *, target: str = "") -> list[dict]:
    """Add to a page of ``officer_list`` rows their qualifying roles and units, whether they are
    trained per target, and ``status``: "trained", "in_progress" (not trained, begun an assigned
    course) or "untrained". One query per training target, one for who has begun (plus one for
    unit names of a closed year)."""
    ids = [row["officer_id"] for row in rows]
    started = set(
        started_officers(source.year).filter(officer_id__in=ids).values_list("officer_id", flat=True)
    )
    by_officer = {i: {"assignments": set(), "targets": {}} for i in ids}
    targets = [target] if target in rules.TRAINING_TARGETS else list(rules.TRAINING_TARGETS)
    unit_paths: set[str] = set()
    facts_rows = []
    for t in targets:
        facts = source.facts(t)
        if facts is None or not ids:
            continue
        qs = facts.rows.filter(scope_q(user, facts.path), officer_id__in=ids)
        if source.frozen:
            values = qs.values("officer_id", "role", "trained", "unit_path")
        else:
            values = qs.annotate(
                is_trained=ExpressionWrapper(facts.trained, output_field=BooleanField())
            ).values("officer_id", "role", "is_trained", "unit__name")
        for v in values:
            facts_rows.append((t, v))
            unit_paths.add(v.get("unit_path", ""))
    names = {}
    if source.frozen and unit_paths:
        names = dict(source.units().filter(path__in=unit_paths).values_list("path", "name"))
    for t, v in facts_rows:
        entry = by_officer[v["officer_id"]]
        trained = v["trained"] if source.frozen else v["is_trained"]
        entry["targets"][t] = bool(trained)
        unit_name = names.get(v["unit_path"], "") if source.frozen else v["unit__name"]
        entry["assignments"].add((Role(v["role"]).label, unit_name))
    described = []
    for row in rows:
        name = row.get("display_name") or full_name(
            row.get("family_name") or "", row.get("middle_name") or "", row.get("given_name") or ""
        )
        entry = by_officer[row["officer_id"]]
        trained = bool(entry["targets"]) and all(entry["targets"].values())
        status = "trained" if trained else "in_progress" if row["officer_id"] in started else "untrained"
        described.append(
            {
                **row,
                "display_name": name,
                "assignments": sorted(entry["assignments"], key=lambda a: (str(a[0]), a[1])),
                "targets": entry["targets"],
                "trained": trained,
                "status": status,
            }
        )
    return described


UNSTAFFED_SORTS = {"name": ["name", "id"], "code": ["code", "id"], "workers": ["worker_count", "id"]}


def unstaffed_units(source: AuditSource, user, node: Node | None, *, sort: str = "name") -> QuerySet:
    """Units the staffing target concerns that have no propagandist in the year (scoped, sorted)."""
    staffing = source.staffing()
    if staffing is None:
        return Unit.objects.none()
    qs, path, staffed = staffing
    qs = qs.filter(scope_q(user, path), under(node, path)).exclude(staffed)
    descending = sort.startswith("-")
    order = UNSTAFFED_SORTS.get(sort.lstrip("-"), UNSTAFFED_SORTS["name"])
    # Names in the Vietnamese alphabet (Ba Đình before Đống Đa before Tây Hồ), in the database.
    columns = [vietnamese(f) if f == "name" else F(f) for f in order]
    return qs.values("id", "path", "code", "name", "level", "worker_count").order_by(
        *[c.desc() if descending else c.asc() for c in columns]
    )


def with_upper_names(source: AuditSource, rows: list[dict]) -> list[dict]:
    """Name each unit's upper-level union (its depth-2 ancestor), one query per page. An
    upper-level union (or the city federation) has none above it: its name is left blank, never
    its own."""
    prefixes = {row["path"][: 2 * STEP] for row in rows if len(row["path"]) > 2 * STEP}
    names = dict(source.units().filter(path__in=prefixes).values_list("path", "name"))
    return [
        {**row, "upper_name": names.get(row["path"][: 2 * STEP], "") if len(row["path"]) > 2 * STEP else ""}
        for row in rows
    ]


def trend(user, node: Node | None, *, up_to: int, years: int = 5) -> list[tuple[int, dict]]:
    """Headline figures of the last ``years`` years that have requirements (or are closed), oldest
    first. At most ``years`` × six queries, whatever the data size."""
    wanted = [year for year in available_years() if year <= up_to][:years]
    return [(year, headline(AuditSource.for_year(year), user, node)) for year in sorted(wanted)]


def available_years() -> list[int]:
    """Years that have requirements or are closed (a closed year stays listed, whatever happened
    to its requirement rows), newest first. One query."""

    closed = YearClosure.objects.filter(is_closed=True).values_list("year", flat=True)
    years = Requirement.objects.order_by().values_list("year", flat=True).union(closed.order_by())
    return sorted(set(years), reverse=True)
