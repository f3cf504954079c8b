"""Task plumbing every app shares: sending a task after commit, a no-op round trip, and the
heartbeat and queue questions the sweeps of long jobs ask.

Each app's ``tasks.py`` may define ``BEAT_SCHEDULE`` (its periodic tasks); the Celery app in
``lms/celery.py`` collects them, so no app imports the project.
"""

import contextlib
import logging
import threading
from datetime import datetime, timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits, so the worker sees its rows."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


@shared_task
def ping(value: str) -> str:
    """A no-op round trip used by health checks and tests of the worker."""
    return f"pong:{value}"


@contextlib.contextmanager
def heartbeat(queryset, field: str = "heartbeat_at", every: float | None = None):
    """While the block runs, set ``field`` to now on the rows of ``queryset`` every few seconds.

    A long job (a ZIP, an export, an import) runs inside one: a row whose heartbeat is older than
    ``JOB_STALE_SECONDS`` lost its worker (killed, machine stopped), and the job's sweep starts it
    again. The beat comes from a thread, so a single slow step (one big query, one large file)
    does not stop it; the thread uses its own database connection and closes it on exit.
    """
    every = every or settings.JOB_HEARTBEAT_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    queryset.update(**{field: timezone.now()})
                except Exception:  # a locked or lost database: try again on the next beat
                    logger.warning("Heartbeat of %s failed", queryset.model.__name__, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


def stale_before() -> datetime:
    """A running job whose heartbeat is older than this lost its worker."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)


def queue_is_empty() -> bool:
    """True when no task waits in the default queue (a task sent earlier was taken by a worker).

    Used by sweeps for work that never started: while tasks still wait, its own task may be
    among them. False when the broker cannot say."""
    app = current_app

    if app.conf.task_always_eager:
        return True  # tasks run where they are sent: none can be waiting
    try:
        with app.connection_for_write() as connection:
            queue = app.conf.task_default_queue
            try:
                _name, count, _consumers = connection.default_channel.queue_declare(queue=queue, passive=True)
            except connection.channel_errors:
                return True  # never declared: nothing was ever sent to it (or the broker restarted)
        return count == 0
    except Exception:
        logger.warning("Could not read the length of the task queue", exc_info=True)
        return False
