"""Settings of the Celery workers that certificates' failure test starts: organizations' worker
settings (mail written to files in ``LMS_TEST_MAIL_DIR``), with one quick retry, so a render that
keeps failing reaches its final failure in seconds instead of half an hour."""

from organizations.tests.worker_settings import *  # noqa: F401,F403

CERTIFICATE_TASK_RETRIES = 1
CERTIFICATE_RETRY_BACKOFF_SECONDS = 1
