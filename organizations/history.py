"""The admin's site history, limited to the viewer's scope for roster entries.

Wagtail's "Site history" report lists every log entry of a model the user holds any
permission on: a unit manager (who may edit officers) would see the names of every officer
and unit edited anywhere in the city. Here the roster's entries (units, officers, roles) are
kept only when their object lies in the viewer's scope; other entries are Wagtail's choice.
Its spreadsheet export is Wagtail's, which ``core`` makes write through the safe cell.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from .models import Officer, RoleAssignment, Unit
from .scope import is_auditor, scope_filter

# Each roster model with the field that places its rows in the tree.
SCOPED_MODELS = ((Unit, "path"), (Officer, "unit__path"), (RoleAssignment, "unit__path"))


def roster_log_filter(user) -> Q:
    """A filter on ``ModelLogEntry`` keeping non-roster entries and roster entries in scope.

    One SQL condition with a subquery per roster model: no ids are read into Python.
    """
    if is_auditor(user):
        return Q()
    content_types = ContentType.objects.get_for_models(*(model for model, _path in SCOPED_MODELS))
    in_scope = Q()
    for model, path_field in SCOPED_MODELS:
        ids = (
            model._default_manager.filter(scope_filter(user, path_field))
            .annotate(object_key=Cast("pk", CharField()))
            .values("object_key")
        )
        in_scope |= Q(content_type=content_types[model], object_id__in=ids)
    return ~Q(content_type__in=content_types.values()) | in_scope


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            queryset = queryset.filter(roster_log_filter(self.request.user))
        return queryset
