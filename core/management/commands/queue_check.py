"""Send no-op tasks through the configured broker and wait for every result.

Operators run it after a deploy (and CI runs it through the test suite): it proves that the
web side can reach the broker, that a worker takes tasks, and that results come back.
"""

import statistics
import time

from celery import current_app
from celery.exceptions import TimeoutError as ResultTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.tasks import ping


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def redacted(url: str) -> str:
    """The broker URL without its password, fit to print."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url)


class Command(BaseCommand):
    help = "Send N no-op tasks through the broker; print the round trip (p50, p95); exit 1 if any is missing."

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=20, help="how many tasks to send (default 20)")
        parser.add_argument(
            "--timeout", type=float, default=30.0, help="seconds to wait for all results (default 30)"
        )

    def handle(self, *args, tasks: int, timeout: float, **options):
        app = current_app  # the project's Celery app (lms/celery.py), which core does not import
        if tasks < 1 or timeout <= 0:
            raise CommandError(_("--tasks and --timeout must be greater than 0."))
        broker = redacted(app.conf.broker_url or settings.CELERY_BROKER_URL)
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=min(timeout, 5))
        except Exception as error:
            raise CommandError(
                _("Cannot reach the broker %(broker)s: %(error)s") % {"broker": broker, "error": error}
            ) from error
        self.stdout.write(_("Broker: %(broker)s") % {"broker": broker})
        deadline = time.monotonic() + timeout
        round_trips: list[float] = []
        missing = 0
        for number in range(tasks):
            token = f"queue-check-{number}"
            sent = time.monotonic()
            result = ping.delay(token)
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise ResultTimeout()
                value = result.get(timeout=remaining, propagate=True)
            except ResultTimeout:
                missing += 1
                result.forget()
                continue
            except Exception as error:  # the task failed in the worker
                self.stderr.write(f"{token}: {type(error).__name__}: {error}")
                missing += 1
                continue
            if value != f"pong:{token}":
                missing += 1
                continue
            round_trips.append((time.monotonic() - sent) * 1000)
        received = len(round_trips)
        self.stdout.write(
            _("Tasks: %(received)s of %(sent)s answered") % {"received": received, "sent": tasks}
        )
        if round_trips:
            self.stdout.write(
                _("Round trip: p50 %(p50).1f ms, p95 %(p95).1f ms, max %(max).1f ms")
                % {
                    "p50": statistics.median(round_trips),
                    "p95": percentile(round_trips, 0.95),
                    "max": max(round_trips),
                }
            )
        if missing:
            raise CommandError(
                _(
                    "%(missing)s of %(sent)s tasks got no answer within %(timeout)s s: is a worker "
                    "running on this broker?"
                )
                % {"missing": missing, "sent": tasks, "timeout": f"{timeout:g}"}
            )
        self.stdout.write(self.style.SUCCESS(_("The task queue works.")))
