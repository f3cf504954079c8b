"""`manage.py queue_check`: what an operator runs after a deploy, against a real broker and worker."""

import re
import subprocess
import sys

import pytest
from django.conf import settings

from lms.testing.servers import celery_worker, process_env

pytestmark = pytest.mark.worker


def queue_check(*arguments: str) -> subprocess.CompletedProcess:
    """Run the command as an operator would: a new process on the configured broker."""
    return subprocess.run(
        [sys.executable, "manage.py", "queue_check", *arguments],
        cwd=settings.BASE_DIR,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_queue_check_passes_with_a_worker_and_prints_the_round_trip(transactional_db):
    with celery_worker():
        done = queue_check("--tasks", "30", "--timeout", "60")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "30 / 30" in done.stdout  # "Tác vụ: 30 / 30 có kết quả"
    match = re.search(r"p50 ([\d.,]+) ms, p95 ([\d.,]+) ms", done.stdout)
    assert match, done.stdout
    p50, p95 = (float(value.replace(",", ".")) for value in match.groups())
    assert 0 < p50 <= p95 < 60_000


def test_queue_check_fails_when_no_worker_answers(transactional_db):
    done = queue_check("--tasks", "3", "--timeout", "2")
    assert done.returncode == 1
    assert "0 / 3" in done.stdout
    assert "3 / 3" in done.stderr and "worker" in done.stderr, done.stderr  # 3 of 3 got no answer
    assert "p50" not in done.stdout


def test_queue_check_fails_when_the_broker_is_down(transactional_db):
    env_url = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    env = {**process_env(), "CELERY_BROKER_URL": env_url, "CELERY_RESULT_BACKEND": env_url}
    done = subprocess.run(
        [sys.executable, "manage.py", "queue_check", "--tasks", "1", "--timeout", "3"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "redis://127.0.0.1:9/0" in done.stderr, done.stderr
