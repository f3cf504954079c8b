from celery import shared_task
from django.db import transaction


def enqueue(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits, so the worker sees its rows."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task
def ping(value: str) -> str:
    """A no-op round trip used by health checks and tests of the worker."""
    return f"pong:{value}"
