"""Who may see which part of the union tree.

Every view and admin listing of officer data filters through these functions:
auditors (the Propaganda and Education Department) see the whole tree, unit
managers see their own subtree(s), everyone else sees no unit.
"""

from django.db.models import Q
from django.utils import timezone

AUDITOR_GROUP = "Auditors"


def is_auditor(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_lms_is_auditor", None)
    if cached is None:
        cached = user.groups.filter(name=AUDITOR_GROUP).exists()
        user._lms_is_auditor = cached
    return cached


def managed_unit_paths(user) -> list[str]:
    """Tree paths of the units this user currently manages (cached on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_lms_managed_paths", None)
    if cached is None:
        from .models import Role, RoleAssignment

        today = timezone.localdate()
        paths = sorted(
            RoleAssignment.objects.active_on(today)
            .filter(role=Role.UNIT_MANAGER, officer__user=user)
            .values_list("unit__path", flat=True)
        )
        # Drop paths already inside another managed subtree.
        cached = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        user._lms_managed_paths = cached
    return cached


def is_manager(user) -> bool:
    return bool(managed_unit_paths(user))


def scope_filter(user, path_field: str = "path") -> Q:
    """A Q object limiting rows to the user's subtrees, through ``path_field``."""
    if is_auditor(user):
        return Q()
    paths = managed_unit_paths(user)
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def visible_units(user):
    """The units a user may see: all for auditors, managed subtrees, or none."""
    from .models import Unit

    return Unit.objects.filter(scope_filter(user))


def can_see_unit(user, unit) -> bool:
    if is_auditor(user):
        return True
    return any(unit.path.startswith(path) for path in managed_unit_paths(user))
