"""The broker under load: several processes sending at once while a real worker runs.

The embedded filesystem broker this replaced stopped its worker for good under two concurrent
producers (a message file read before it was written). Redis must take it without a loss.
"""

import json
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings

from core.tasks import ping
from lms.testing.servers import celery_worker, process_env, wait_for

pytestmark = pytest.mark.worker

PRODUCERS = 4
TASKS_EACH = 500

PRODUCER = """
import json, sys, django
django.setup()
from core.tasks import ping
producer = sys.argv[1]
ids = [ping.delay(f"{producer}-{n}").id for n in range(int(sys.argv[2]))]
print(json.dumps(ids))
"""


def test_four_producers_of_500_tasks_each_every_task_runs_once_and_the_worker_lives(
    transactional_db, tmp_path
):
    log = tmp_path / "worker.log"
    with celery_worker(concurrency=2, log=log) as worker:
        started = time.monotonic()
        producers = [
            subprocess.Popen(
                [sys.executable, "-c", PRODUCER, str(number), str(TASKS_EACH)],
                cwd=settings.BASE_DIR,
                env=process_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for number in range(PRODUCERS)
        ]
        sent: list[str] = []
        for producer in producers:
            out, err = producer.communicate(timeout=120)
            assert producer.returncode == 0, err
            sent += json.loads(out.strip().splitlines()[-1])
        assert len(set(sent)) == PRODUCERS * TASKS_EACH

        def succeeded() -> list[str]:
            return re.findall(r"Task core\.tasks\.ping\[([0-9a-f-]+)\] succeeded", log.read_text())

        wait_for(lambda: len(succeeded()) >= len(sent), 120, "the worker to run every task")
        elapsed = time.monotonic() - started
        time.sleep(1)  # a duplicate delivery, if there were one, would be logged now
        runs = succeeded()
        # Every task ran, and each exactly once.
        assert sorted(runs) == sorted(sent)
        # The worker is still alive and still takes work.
        assert worker.poll() is None
        assert ping.delay("after").get(timeout=30) == "pong:after"
    assert "Unrecoverable error" not in log.read_text()
    print(f"{len(sent)} tasks from {PRODUCERS} producers in {elapsed:.1f} s")
