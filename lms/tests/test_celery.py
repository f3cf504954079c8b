"""Tasks go through a real worker process on Redis: the suite's own redis-server (the default
broker's stand-in), and a second one named by CELERY_BROKER_URL."""

import json
import os
import subprocess
import sys

import pytest
from celery import Celery
from django.conf import settings

from core.tasks import ping
from lms.celery import app
from lms.testing.servers import celery_worker, redis_server

pytestmark = pytest.mark.worker


def settings_in_fresh_process(code: str, **env) -> dict:
    """What ``code`` prints (JSON) in a new process that loads the given settings module."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    environment.update(env)
    output = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup(); " + code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_round_trip_through_the_default_broker(db):
    assert app.conf.broker_url.startswith("redis://")
    with celery_worker():
        result = ping.delay("default")
        assert result.get(timeout=60) == "pong:default"


def test_round_trip_through_redis(db):
    with redis_server() as url, celery_worker({"CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url}):
        client = Celery("redis-client", broker=url, backend=url, set_as_current=False)
        result = client.send_task("core.tasks.ping", args=["redis"])
        assert result.get(timeout=60) == "pong:redis"


def test_default_broker_is_the_local_redis_under_var():
    """Without CELERY_BROKER_URL, the web server, worker and beat all use `make run`'s Redis."""
    code = (
        "from django.conf import settings as s; from lms.celery import app; "
        "print(json.dumps([app.conf.broker_url, app.conf.result_backend, "
        "app.conf.broker_transport_options, str(s.REDIS_SOCKET)]))"
    )
    broker, backend, options, socket = settings_in_fresh_process(
        code, DJANGO_SETTINGS_MODULE="lms.settings.dev"
    )
    assert broker == backend == f"redis+socket://{socket}"
    assert socket == str(settings.VAR_DIR / "redis" / "redis.sock")
    # Above the longest task and the longest retry countdown (10 minutes).
    assert options["visibility_timeout"] >= 3600
    overridden = settings_in_fresh_process(
        "from lms.celery import app; print(json.dumps(app.conf.broker_url))",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="x" * 50,
        SITE_URL="https://huanluyen.example.vn",
        CELERY_BROKER_URL="amqp://guest@rabbit:5672//",
    )
    assert overridden == "amqp://guest@rabbit:5672//"


def test_reliability_settings():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_enqueue_waits_for_commit(django_capture_on_commit_callbacks, db):
    from unittest import mock

    from core.tasks import enqueue

    with mock.patch.object(ping, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(ping, "later")
            assert not delay.called
        delay.assert_called_once_with("later")


def test_beat_loads_every_apps_periodic_tasks():
    """What `celery -A lms beat` sees: a fresh process that loads the app as beat does."""
    code = (
        "import json; from lms.celery import app; app.loader.init_worker(); app.finalize(); "
        "print(json.dumps({name: [entry['task'], entry['task'] in app.tasks] "
        "for name, entry in app.conf.beat_schedule.items()}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    schedule = json.loads(output.strip().splitlines()[-1])
    assert set(schedule) == {
        "courses.close_overdue_attempts",
        "organizations.sweep_roster_imports",
        "certificates-render-missing",
        "certificates-resume-bulk-exports",
        "training-resume-exports",
        "certificates-expire-bulk-exports",
        "training-expire-exports",
        "training-reminders-monthly",
        "training-reminders-weekly-december",
        "training-class-reminders",
        "training-resume-invitation-batches",
        "accounts-resume-activation-sheets",
        "accounts-expire-activation-sheets",
        "training-recompute-assignments",
        "training-announce-assignments",
        "notifications-sweep",
    }
    assert all(registered for _, registered in schedule.values()), schedule


def test_broker_connects_without_warnings(caplog):
    """Every web request that enqueues a task connects; the broker must not log each time."""
    with caplog.at_level("WARNING", logger="kombu"), app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
    assert connection.as_uri().startswith("redis://")
    assert not [record for record in caplog.records if record.name.startswith("kombu")]
