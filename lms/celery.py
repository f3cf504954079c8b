"""The Celery application.

With no configuration the broker and result backend are the local ``redis-server`` that
``make run`` starts (a unix socket under ``var/redis``); set ``CELERY_BROKER_URL`` to a
Redis or RabbitMQ URL to scale out.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
