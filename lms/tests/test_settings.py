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
    done = settings_of_a_fresh_process(
        {"ROSTER_IMPORT_MAX_MB": "5", "ROSTER_IMPORT_SYNC_KB": "1024"},
        "settings.ROSTER_IMPORT_MAX_BYTES, settings.ROSTER_IMPORT_SYNC_BYTES",
    )
    assert done.stdout.split() == [str(5 * 1024 * 1024), str(1024 * 1024)]


def settings_of_a_fresh_process(env: dict, expression: str) -> subprocess.CompletedProcess:
    script = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, **env}, capture_output=True, text=True
    )


def test_cache_url_makes_every_process_share_one_redis_cache():
    done = settings_of_a_fresh_process(
        {"CACHE_URL": "redis://127.0.0.1:6379/1"}, "settings.CACHES['default']['BACKEND']"
    )
    assert done.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_a_cache_url_that_is_not_redis_stops_start_up():
    done = settings_of_a_fresh_process({"CACHE_URL": "memcached://127.0.0.1:11211"}, "1")
    assert done.returncode != 0
    assert "CACHE_URL must be a redis://" in done.stderr
