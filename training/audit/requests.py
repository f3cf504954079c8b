"""What an audit screen or export is about: the year, the unit and the filters, parsed and checked.

The screens (``views``), the export task (``training.tasks``) and ``audit_report`` all build
their ``AuditRequest`` here, so a file built later by a worker shows what the screen showed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from organizations.models import Role
from organizations.scope import is_auditor, is_manager

from . import rules
from .source import AuditSource, Node, resolve_node


@dataclass
class AuditRequest:
    """What every audit screen and export is about: the year, the unit, the filters."""

    user: object
    source: AuditSource
    node: Node | None
    params: dict

    @property
    def year(self) -> int:
        return self.source.year


def audit_request(user, params: dict) -> AuditRequest:
    """Parse and check the parameters of a screen or export. Raises PermissionDenied or Http404."""
    if not (is_auditor(user) or is_manager(user)):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(params.get("year") or today.year)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 2000 <= year <= today.year + 5:
        raise Http404
    source = AuditSource.for_year(year)
    code = str(params.get("unit") or "")
    if "\x00" in code:  # no unit has such a code (and PostgreSQL refuses the character)
        raise Http404
    try:
        node = resolve_node(source, user, code or None)
    except LookupError:
        raise Http404 from None
    clean = {
        "year": year,
        "unit": node.code if node and params.get("unit") else "",
        "sort": str(params.get("sort", "")),
        "role": params.get("role", "") if params.get("role", "") in Role.values else "",
        "target": params.get("target", "") if params.get("target", "") in rules.TRAINING_TARGETS else "",
        "status": params.get("status", "untrained")
        if params.get("status") in ("untrained", "in_progress", "trained", "all")
        else "untrained",
        "q": str(params.get("q", "")).replace("\x00", "")[:100],
        "here": "1" if params.get("here") == "1" else "",
    }
    return AuditRequest(user=user, source=source, node=node, params=clean)
