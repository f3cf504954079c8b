"""Writing a checked Plan: all of it in one transaction, in bulk."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.planner import refresh_statistics

from .. import services
from ..models import Officer, RoleAssignment, Unit
from ..signals import roster_imported
from .matching import CHUNK
from .plan import Plan
from .rows import Person

BATCH = 2000


def _create_units(plan: Plan) -> dict[str, int]:
    """Create new units with materialized paths computed here (treebeard's add_child is per row)."""
    if not plan.new_units:
        return {}
    units = {u.code: u for u in Unit.objects.filter(code__in=[n.parent_code for n in plan.new_units])}
    next_step: dict[str, int] = {}
    added_children: dict[str, int] = defaultdict(int)
    made: dict[str, Unit] = {}
    roots = Unit.get_root_nodes().order_by("-path").values_list("path", flat=True)[:1]
    next_root = (Unit._str2int(roots[0]) + 1) if roots else 1
    for parent_path in {u.path for u in units.values()}:
        last = (
            Unit.objects.filter(path__startswith=parent_path, depth=len(parent_path) // Unit.steplen + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        next_step[parent_path] = Unit._str2int(last[-Unit.steplen :]) + 1 if last else 1
    for new in plan.new_units:  # parents come before their children
        parent = made.get(new.parent_code) or units.get(new.parent_code)
        if parent is None:
            path, depth = Unit._get_path(None, 1, next_root), 1
            next_root += 1
        else:
            step = next_step.get(parent.path, 1)
            next_step[parent.path] = step + 1
            path, depth = Unit._get_path(parent.path, parent.depth + 1, step), parent.depth + 1
            added_children[parent.code] += 1
        unit = Unit(
            path=path,
            depth=depth,
            numchild=0,
            code=new.code,
            name=new.name,
            level=new.level,
            kind=new.kind,
            worker_count=new.worker_count,
        )
        unit.refresh_search_name()  # bulk_create skips save()
        made[unit.code] = unit
    for code, count in added_children.items():
        if code in made:
            made[code].numchild = count
    Unit.objects.bulk_create(made.values(), batch_size=BATCH)
    for code, count in added_children.items():
        if code not in made:
            Unit.objects.filter(code=code).update(numchild=F("numchild") + count)
    return {code: unit.pk for code, unit in made.items()}


def _update_units(plan: Plan, now) -> None:
    if not plan.unit_updates:
        return
    units = list(Unit.objects.filter(pk__in=list(plan.unit_updates)))
    for unit in units:
        for name, value in plan.unit_updates[unit.pk].items():
            setattr(unit, name, value)
        unit.refresh_search_name()
        unit.updated_at = now  # bulk_update skips auto_now
    Unit.objects.bulk_update(
        units, ["name", "search_name", "level", "kind", "worker_count", "updated_at"], batch_size=BATCH
    )


def _unit_ids(plan: Plan, created: dict[str, int]) -> dict[str, int]:
    codes = {p.unit_code for p in plan.new_people}
    codes |= {update.person.unit_code for update in plan.officer_updates.values()}
    codes |= {opening.role.unit_code for opening in plan.roles_to_open}
    codes -= created.keys()
    ids = dict(created)
    codes = list(codes)
    for start in range(0, len(codes), CHUNK):
        ids.update(Unit.objects.filter(code__in=codes[start : start + CHUNK]).values_list("code", "id"))
    return ids


def _officer(person: Person, unit_id: int, officer_id=None) -> Officer:
    data = person.data
    officer = Officer(
        id=officer_id,
        code=person.code or None,
        family_name=data.family_name,
        middle_name=data.middle_name,
        given_name=data.given_name,
        date_of_birth=data.date_of_birth,
        gender=data.gender or "",
        phone=data.phone or "",
        email=data.email or "",
        preferred_channel=data.preferred_channel or "",
        unit_id=unit_id,
    )
    officer.refresh_name_keys()
    return officer


def _write_officers(plan: Plan, unit_ids: dict[str, int], now) -> None:
    new = [_officer(p, unit_ids[p.unit_code]) for p in plan.new_people]
    Officer.objects.bulk_create(new, batch_size=BATCH)
    for person, officer in zip(plan.new_people, new, strict=True):
        person.officer_id = officer.pk
    updated = []
    for officer_id, update in plan.officer_updates.items():
        existing, person = plan.existing_officers[officer_id], update.person
        officer = _officer(person, unit_ids[person.unit_code], officer_id)
        # Blank cells keep what the roster already has.
        for name in ("date_of_birth", "gender", "phone", "email", "preferred_channel"):
            if getattr(officer, name) in (None, ""):
                setattr(officer, name, getattr(existing, name))
        officer.code = person.code or existing.code
        officer.refresh_name_keys()
        officer.updated_at = now  # bulk_update skips auto_now
        updated.append(officer)
    fields = [
        "code",
        "family_name",
        "middle_name",
        "given_name",
        "date_of_birth",
        "gender",
        "phone",
        "email",
        "preferred_channel",
        "unit",
        "sort_key",
        "search_name",
        "updated_at",
    ]
    Officer.objects.bulk_update(updated, fields, batch_size=500)


@transaction.atomic
def apply_plan(plan: Plan) -> dict:
    """Write the plan in one transaction and return its summary. The plan must have no problems."""
    if not plan.ok:
        raise ValueError("a plan with problems cannot be applied")
    now = timezone.now()  # one change time for the whole import (the API's changed_since)
    created = _create_units(plan)
    _update_units(plan, now)
    unit_ids = _unit_ids(plan, created)
    _write_officers(plan, unit_ids, now)
    services.open_roles(
        assignments=[
            RoleAssignment(
                officer_id=opening.person.officer_id,
                role=opening.role.role,
                unit_id=unit_ids[opening.role.unit_code],
                start_date=opening.role.start,
                end_date=opening.role.end,
            )
            for opening in plan.roles_to_open
        ]
    )
    services.close_roles(closings=plan.roles_to_close, now=now)
    # A large roster changes the tables' shape: plan the audit on statistics of the new one.
    transaction.on_commit(lambda: refresh_statistics(Unit, Officer, RoleAssignment))
    transaction.on_commit(lambda: roster_imported.send(sender=apply_plan))
    return plan.summary()
