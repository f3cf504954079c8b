"""Fresh planner statistics after a bulk write.

PostgreSQL plans each statement from statistics that autovacuum refreshes a while after rows
change. After a bulk load the old statistics describe a different table (a few hundred rows, no
path under the new units), and the audit's semi-joins get planned as nested loops over what is
now thousands of rows: minutes instead of milliseconds until autovacuum catches up. A bulk writer
refreshes them at once. ANALYZE reads a sample (at most 30,000 rows a table), so it takes well
under a second at Hanoi scale; inside a transaction it samples that transaction's own rows too.
"""

from django.db import connection


def refresh_statistics(*models) -> None:
    """ANALYZE the tables of ``models`` on PostgreSQL (other databases plan without them)."""
    if connection.vendor != "postgresql" or not models:
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
