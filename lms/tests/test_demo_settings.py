"""`make run` (lms.settings.dev) shows the site as a user sees it: its own Vietnamese error pages,
not Django's technical pages, unless a developer asks for DEBUG."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from lms.testing.servers import _database_env, process_env

REQUEST = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/khong-co-trang-nay/")
print(json.dumps([settings.DEBUG, response.status_code, response.content.decode()]))
"""


def get_missing_page(**env) -> tuple[bool, int, str]:
    environment = {**process_env(), **_database_env(), "DJANGO_SETTINGS_MODULE": "lms.settings.dev", **env}
    output = subprocess.run(
        [sys.executable, "-c", REQUEST],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return tuple(json.loads(output.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)
def test_the_demo_answers_a_missing_page_with_the_sites_vietnamese_404():
    debug, status, html = get_missing_page(DJANGO_DEBUG="")
    assert debug is False and status == 404
    assert "Không tìm thấy trang" in html and 'class="error-page"' in html
    assert "URLconf" not in html and "DEBUG = True" not in html


@pytest.mark.django_db(transaction=True)
def test_a_developer_asks_for_the_debug_pages():
    debug, status, html = get_missing_page(DJANGO_DEBUG="1")
    assert debug is True and status == 404
    assert "DEBUG = True" in html
