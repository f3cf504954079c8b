"""Settings read from the environment: limits an operator sets without touching code."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lms.settings.base import env_positive_int


def test_roster_import_limits_default_to_20_mb_and_256_kb():
    assert settings.ROSTER_IMPORT_MAX_BYTES == 20 * 1024 * 1024
    assert settings.ROSTER_IMPORT_SYNC_BYTES == 256 * 1024


def test_a_positive_whole_number_is_read_and_a_blank_one_means_the_default(monkeypatch):
    monkeypatch.setenv("LMS_TEST_LIMIT", " 7 ")
    assert env_positive_int("LMS_TEST_LIMIT", 3) == 7
    monkeypatch.setenv("LMS_TEST_LIMIT", "")
    assert env_positive_int("LMS_TEST_LIMIT", 3) == 3


@pytest.mark.parametrize("raw", ["0", "-5", "20MB", "1.5"])
def test_anything_else_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("LMS_TEST_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="LMS_TEST_LIMIT must be a whole number greater than 0"):
        env_positive_int("LMS_TEST_LIMIT", 3)


def test_the_environment_sets_the_import_limits_of_a_fresh_process():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ROSTER_IMPORT_MAX_BYTES, settings.ROSTER_IMPORT_SYNC_BYTES)"
    )
    env = {**os.environ, "ROSTER_IMPORT_MAX_MB": "5", "ROSTER_IMPORT_SYNC_KB": "1024"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(5 * 1024 * 1024), str(1024 * 1024)]
