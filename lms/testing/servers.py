"""Real servers for tests: a Celery worker process, a Redis server on a free loopback port,
and what tests of them need: waiting for the worker's effect, reading the mail it wrote."""

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def celery_worker(
    extra_env: dict | None = None,
    concurrency: int = 1,
    pool: str = "prefork",
    beat: bool = False,
    log: Path | None = None,
):
    """Start ``celery -A lms worker`` as a separate process (its own process group), on the
    broker the tests use (``CELERY_BROKER_URL``, set by the session's Redis); stop it on exit.

    With ``beat`` the worker also runs the beat scheduler (``-B``), as ``make run`` does, with
    its schedule file in a temporary folder. With ``log`` the worker logs every task it runs
    (INFO) into that file.
    """
    env = {**process_env(), **(extra_env or {})}
    env.update(_database_env())
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "lms",
        "worker",
        f"--loglevel={'INFO' if log else 'WARNING'}",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    schedule_dir = tempfile.mkdtemp(prefix="celerybeat-") if beat else None
    if schedule_dir:
        command += ["-B", f"--schedule={schedule_dir}/schedule"]
    output = open(log, "ab") if log else None  # noqa: SIM115 (closed below, after the worker)
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    try:
        yield process
    finally:
        stop_process_group(process)
        if output:
            output.close()
        if schedule_dir:
            shutil.rmtree(schedule_dir, ignore_errors=True)


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """TERM a process started with ``start_new_session`` and its children; KILL what remains."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # The children of a worker killed with -9 (its pool) may outlive it: end the group for good.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _database_env() -> dict:
    """Point the worker at the test database the current test process uses."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{name}"}
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return {"DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}
    return {}


@contextlib.contextmanager
def redis_server():
    """Start Debian's redis-server on a free loopback port, with no persistence; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run `make test`, which installs it.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"redis-server did not answer on port {port} within 10 s")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


# The broker of the test session (root conftest.py), passed to every process a test starts.
_session_broker_url = ""


def process_env() -> dict:
    """The environment for a process a test starts (worker, producer, management command):
    the test settings, on the session's broker."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    if _session_broker_url:
        env["CELERY_BROKER_URL"] = env["CELERY_RESULT_BACKEND"] = _session_broker_url
    return env


def point_celery_at(url: str) -> None:
    """Send this process's tasks, and those of every process it starts later, to ``url``.

    Not through ``os.environ``: Celery reads CELERY_BROKER_URL from there before any ``broker=``
    argument, which would send a test's own client apps to this broker too."""
    global _session_broker_url
    from lms.celery import app

    _session_broker_url = url
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    app.conf.broker_url = url
    app.conf.result_backend = url
    # Connections and the backend are made on first use; drop any made before.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
    with contextlib.suppress(AttributeError):
        del app._local.backend


def wait_for(condition, timeout: float, what: str, state=None):
    """Poll ``condition`` until it returns something truthy (returned), or fail after ``timeout`` s
    (saying what ``state()`` returns then, when given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"; state: {state()!r}" if state else ""))


# Between messages in the files Django's file-based e-mail backend writes (LMS_TEST_MAIL_DIR).
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mails_in(folder) -> list[email.message.Message]:
    """Every message a worker's file-based e-mail backend wrote into ``folder``."""
    messages = []
    for path in sorted(Path(folder).iterdir()):
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk))
    return messages
