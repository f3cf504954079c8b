"""Settings of the worker that the lost-worker test kills: organizations' worker settings (mail
written to files in ``LMS_TEST_MAIL_DIR``), with each PDF added to a ZIP slowed down, so the test
can kill the worker while a ZIP is being built."""

import time
import zipfile

from organizations.tests.worker_settings import *  # noqa: F401,F403

_write = zipfile.ZipFile.write


def _slow_write(self, *args, **kwargs):
    time.sleep(0.5)
    return _write(self, *args, **kwargs)


zipfile.ZipFile.write = _slow_write
