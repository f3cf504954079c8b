"""Settings of the Celery worker that test_import_worker starts: the test settings, saving an
import's progress every few rows, so the page's polling sees the bar move on a small file.

The worker is a separate process: pytest's ``settings`` fixture does not reach it, its
DJANGO_SETTINGS_MODULE does.
"""

from lms.settings.test import *  # noqa: F401,F403

ROSTER_IMPORT_PROGRESS_ROWS = 10
