"""Where the audit's facts come from and which unit a screen is about.

``AuditSource``: an open year is computed live from the roster and the ledger (through
``rules``); a closed year reads its snapshot tables, so its figures never move. ``Node``:
the unit being looked at, or a manager's several subtrees at once. Scoping helpers put every
row through ``organizations.scope`` (``user=None`` means the whole tree, for system jobs only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from organizations.models import Unit, UnitLevel
from organizations.scope import is_auditor, managed_unit_paths, scope_filter

from ..models import RequirementTarget, SnapshotAssignment, SnapshotUnit, YearClosure
from . import rules

STEP = Unit.steplen
TARGETS = list(RequirementTarget)


# --- Where the facts come from: live roster and ledger, or a closed year's snapshot ------------


@dataclass(frozen=True)
class Facts:
    """What a training target counts: ``rows`` (one per qualifying assignment, with ``officer_id``
    and the unit's path at ``path``), and who of them is trained, two ways that give the same answer:

    - ``trained``: a condition on a row (an ``EXISTS`` through the ledger's (year, officer) index
      for an open year, a stored flag for a closed one): a semi- or anti-join in a ``WHERE``, one
      index probe per row in a select list — right for a subtree, or a page of officers;
    - ``trained_ids``: the year's trained officers as a set (open years only), for a statement
      over a whole city to join once (a hash join, which spills to disk in batches rather than
      turning into a per-row re-run when the year's ledger outgrows ``work_mem``).
    """

    rows: QuerySet
    path: str
    trained: Q
    trained_ids: QuerySet | None = None


@dataclass
class AuditSource:
    year: int
    closure: YearClosure | None
    requirements: dict

    @classmethod
    def for_year(cls, year: int) -> AuditSource:
        """Three queries: the closure, the requirements and their rules."""
        closure = YearClosure.objects.filter(year=year, is_closed=True).first()
        return cls(year=year, closure=closure, requirements=rules.requirements_for(year))

    @property
    def frozen(self) -> bool:
        return self.closure is not None

    def has_target(self, target: str) -> bool:
        """Whether the year sets ``target``. A closed year answers from its snapshot (the targets
        it had when it was closed), whatever happened to its requirement rows since."""
        if self.frozen and self.closure.headline:
            return self.closure.headline.get(str(target)) is not None
        return target in self.requirements

    def facts(self, target: str) -> Facts | None:
        """The rows a training target counts (one per qualifying assignment), or None."""
        if not self.has_target(target):
            return None
        if self.frozen:
            return Facts(
                SnapshotAssignment.objects.filter(closure=self.closure, target=target).order_by(),
                "unit_path",
                Q(trained=True),
            )
        requirement = self.requirements[target]
        return Facts(
            rules.required_assignments(requirement),
            "unit__path",
            rules.trained_q(requirement),
            rules.trained_officer_ids(requirement),
        )

    def staffing(self):
        """(required units, path field, staffed condition) or None."""
        if not self.has_target(RequirementTarget.STAFFING):
            return None
        if self.frozen:
            return (
                SnapshotUnit.objects.filter(closure=self.closure, staffing_required=True).order_by(),
                "path",
                Q(staffed=True),
            )
        requirement = self.requirements[RequirementTarget.STAFFING]
        return rules.staffing_units(requirement), "path", rules.staffed_q(requirement)

    def units(self) -> QuerySet:
        """Units that existed in the year (live) or as they stood when it was closed."""
        if self.frozen:
            return SnapshotUnit.objects.filter(closure=self.closure)
        return Unit.objects.filter(rules.unit_existed_q(self.year))


@dataclass(frozen=True)
class Node:
    """A unit being looked at: its place in the tree and what the screen shows of it.

    Or, with ``roots``, a manager's whole scope when they manage several separate subtrees:
    no unit of its own, its "children" are the units they manage (``scope_node``).
    """

    path: str
    depth: int
    code: str
    name: str
    level: str
    worker_count: int = 0
    roots: tuple[str, ...] = ()

    @property
    def is_scope(self) -> bool:
        return bool(self.roots)

    @property
    def child_depth_len(self) -> int:
        return (self.depth + 1) * STEP

    @property
    def is_grassroots(self) -> bool:
        return self.level == UnitLevel.GRASSROOTS

    def get_level_display(self):
        return UnitLevel(self.level).label if self.level else ""


def node_of(unit) -> Node:
    return Node(unit.path, unit.depth, unit.code, unit.name, unit.level, unit.worker_count)


def scope_node(units) -> Node:
    """The view over several separate subtrees (``units``, their tops, in tree order)."""
    return Node(
        path="",
        depth=0,
        code="",
        name=", ".join(u.name for u in units),
        level="",
        worker_count=sum(u.worker_count for u in units),
        roots=tuple(u.path for u in units),
    )


def scope_q(user, path_field: str) -> Q:
    return Q() if user is None else scope_filter(user, path_field)


def under(node: Node | None, path_field: str) -> Q:
    if node is None:
        return Q()
    if node.is_scope:
        condition = Q()
        for root in node.roots:
            condition |= Q(**{f"{path_field}__startswith": root})
        return condition
    return Q(**{f"{path_field}__startswith": node.path})


def resolve_node(source: AuditSource, user, code: str | None) -> Node | None:
    """The unit a screen is about: ``code`` if given and visible, else the top of the user's scope:
    the unit a manager manages, or a ``scope_node`` over all of them when they manage several
    separate subtrees (so the default view leaves none out).

    Raises ``LookupError`` for a unit outside the user's scope (the view answers 404).
    One query.
    """
    units = source.units().filter(scope_q(user, "path"))
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise LookupError(code)
        return node_of(unit)
    if user is not None and not is_auditor(user):
        tops = list(units.filter(path__in=managed_unit_paths(user)).order_by("path"))
        if len(tops) > 1:
            return scope_node(tops)
        unit = tops[0] if tops else None
    else:
        unit = units.order_by("depth", "path").first()
    return node_of(unit) if unit else None


def ancestors(source: AuditSource, user, node: Node | None) -> list[Node]:
    """The node's ancestors within the user's scope, top first (for breadcrumbs). One query."""
    if node is None or node.depth <= 1:
        return []
    prefixes = [node.path[: STEP * d] for d in range(1, node.depth)]
    return [
        node_of(u) for u in source.units().filter(scope_q(user, "path"), path__in=prefixes).order_by("path")
    ]


def unit_choices(source: AuditSource, user, node: Node | None) -> list[Node]:
    """The units a list can be filtered by, in tree order: those in the user's scope down to
    the upper-level unions, every unit the user manages, and ``node`` (a unit reached by
    drilling down). Never a unit outside the scope. One query."""
    wanted = Q(level__in=[UnitLevel.CITY, UnitLevel.UPPER])
    if user is not None and not is_auditor(user):
        wanted |= Q(path__in=managed_unit_paths(user))
    if node is not None:
        wanted |= Q(path=node.path)
    units = source.units().filter(scope_q(user, "path")).filter(wanted).order_by("path")
    return [node_of(u) for u in units]
