"""Settings of the Celery workers that organizations' worker tests start: the test settings, plus

- an import's progress saved every few rows, so the page's polling sees the bar move on a small file;
- e-mail written to files in ``LMS_TEST_MAIL_DIR`` (when given), since the worker's locmem outbox
  would be invisible to the test.

The worker is a separate process: pytest's ``settings`` fixture does not reach it, its
DJANGO_SETTINGS_MODULE and environment do.
"""

import os

from lms.settings.test import *  # noqa: F401,F403

ROSTER_IMPORT_PROGRESS_ROWS = 10

if os.environ.get("LMS_TEST_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["LMS_TEST_MAIL_DIR"]
