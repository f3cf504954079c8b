"""The Celery application.

With no configuration the broker and result backend are the local ``redis-server`` that
``make run`` starts (a unix socket under ``var/redis``); set ``CELERY_BROKER_URL`` to a
Redis or RabbitMQ URL to scale out.
"""

import importlib
import importlib.util
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def collect_periodic_tasks(sender, **kwargs) -> None:
    """Put every app's periodic tasks (``BEAT_SCHEDULE`` in its ``tasks.py``) on the schedule.

    Each app owns its schedule next to its tasks and imports nothing of the project for it; the
    project imports the apps (``lms`` sits above them).
    """
    from django.apps import apps

    schedule = dict(sender.conf.beat_schedule or {})
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks") is None:
            continue
        schedule.update(getattr(importlib.import_module(f"{config.name}.tasks"), "BEAT_SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
