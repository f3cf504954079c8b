"""A query the ORM compiles to SQL once per process, then runs with new parameter values.

Building and compiling a queryset is pure Python: for one with half a dozen ``EXISTS`` it takes
about as long as the rest of a small request together. For the one statement every signed-in
request runs (``accounts.mfa.account_facts``) that is worth keeping, so the queryset stays the one
definition of the query, and only its compiled SQL is remembered.

How: the query is built once with sample values for its parameters, values that cannot occur
among its other parameters; after compiling, each parameter equal to a sample is a slot that
later calls fill with their own values, adapted for the database as the ORM adapts them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connections

# Samples no real query parameter equals: negative ids (within a 32-bit column's range, or the
# ORM compiles the lookup to "nothing matches"), a date in year 1.
_SAMPLES: dict[type, Callable[[int], Any]] = {
    int: lambda n: -1_987_654_321 - n,
    datetime.date: lambda n: datetime.date(1, 1, 1 + n),
}


def _adapt(connection, kind: type, value):
    """The parameter as the ORM passes it to the driver (dates are text on SQLite)."""
    if kind is datetime.date:
        return connection.ops.adapt_datefield_value(value)
    return kind(value)


def _hashable(param) -> bool:
    return isinstance(param, int | str | datetime.date)


class CompiledValuesQuery:
    """``build(**parameters)`` returns a ``.values()`` queryset; ``first(**parameters)`` runs it
    (limited to one row).

    ``parameters`` maps each parameter's name to its type (``int`` or ``datetime.date``). Rows are
    dicts of the database's values as the driver returns them, without the ORM's converters:
    SQLite returns booleans as 0 and 1, so callers cast what they read.
    """

    def __init__(self, build: Callable[..., Any], **parameters: type):
        unknown = [name for name, kind in parameters.items() if kind not in _SAMPLES]
        if unknown:
            raise TypeError(f"no sample value for the type of {', '.join(unknown)}")
        self.build = build
        self.parameters = parameters
        self._compiled: dict[str, tuple[str, list, list[str | None], list[str]]] = {}

    def _compile(self, alias: str):
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        connection = connections[alias]
        samples = {name: _SAMPLES[kind](n) for n, (name, kind) in enumerate(self.parameters.items())}
        query = self.build(**samples)[:1].query
        sql, params = query.get_compiler(using=alias).as_sql()
        adapted = {_adapt(connection, self.parameters[name], value): name for name, value in samples.items()}
        slots = [
            adapted.get(param) if isinstance(param, int | str | datetime.date) else None for param in params
        ]
        missing = set(self.parameters) - set(slots)
        if missing:
            raise ValueError(f"the compiled query does not use {', '.join(sorted(missing))}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        compiled = self._compiled[alias] = (sql, list(params), slots, names)
        return compiled

    def first(self, using: str = "default", **values) -> dict | None:
        """The first row for these parameter values, or None."""
        sql, params, slots, names = self._compile(using)
        connection = connections[using]
        filled = [
            param if slot is None else _adapt(connection, self.parameters[slot], values[slot])
            for param, slot in zip(params, slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, filled)
            row = cursor.fetchone()
        return None if row is None else dict(zip(names, row, strict=True))
