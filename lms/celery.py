"""The Celery application.

With no configuration the broker is kombu's ``filesystem://`` transport in
folders under ``var/celery`` (no server needed); set ``CELERY_BROKER_URL`` to a
Redis or RabbitMQ URL to scale out.
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders to exist before first use."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = app.conf.result_backend or ""
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


def add_periodic_tasks(entries: dict) -> None:
    """Put an app's periodic tasks on the beat schedule; called by that app's ``tasks.py``.

    Each app owns its schedule next to its tasks. ``celery beat`` imports every app's
    ``tasks.py`` (autodiscovery) before it reads the schedule, and the configuration may be
    (re)loaded after the import, so the entries are added now and again once it is finalised.
    """

    def add(sender=None, **kwargs) -> None:
        target = sender or app
        target.conf.beat_schedule = {**(target.conf.beat_schedule or {}), **entries}

    app.on_after_finalize.connect(add, weak=False)
    add(app)


@app.on_after_configure.connect
def _prepare(sender, **kwargs):
    ensure_broker_folders()
