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
import time
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def celery_worker(extra_env: dict | None = None, concurrency: int = 1, pool: str = "prefork"):
    """Start ``celery -A lms worker`` as a separate process; stop it on exit."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test", **(extra_env or {})}
    env.update(_database_env())
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "lms",
        "worker",
        "--loglevel=WARNING",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


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
    """Start Debian's redis-server on a free loopback port, with no persistence."""
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
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_for(condition, timeout: float, what: str):
    """Poll ``condition`` until it returns something truthy (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


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
