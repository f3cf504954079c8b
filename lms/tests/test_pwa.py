"""The installable app: the manifest a phone reads to install it, and the service worker."""

import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_in_vietnamese_with_maskable_icons(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Huấn luyện Công đoàn"
    assert manifest["lang"] == "vi"
    assert manifest["start_url"] == "/learn/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#b3261e"
    for size in (192, 512):
        icons = [i for i in manifest["icons"] if i["sizes"] == f"{size}x{size}"]
        assert {i["purpose"] for i in icons} == {"any", "maskable"}
        for icon in icons:
            # The file behind the URL exists and really is that size.
            path = finders.find(icon["src"].removeprefix("/static/"))
            with Image.open(path) as image:
                assert image.size == (size, size) and image.format == "PNG"


def test_every_page_links_the_manifest_and_the_script_that_registers_the_worker(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-sw="/sw.js"' in html


def test_the_service_worker_is_served_from_the_root_scope_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    assert '"/offline/"' in text and '"/static/css/site.css"' in text
    assert "__VERSION__" not in text


def test_a_deploy_that_changes_a_shell_file_changes_the_worker_version(client, settings):
    def version():
        text = client.get("/sw.js").content.decode()
        return text.split('const VERSION = "')[1].split('"')[0]

    before = version()
    assert before == version()  # stable between requests of one deploy
    settings.STATIC_URL = "/static/v2/"  # as a new hashed name would
    assert version() != before


def test_the_worker_may_run_under_the_sites_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_the_offline_page_tells_the_learner_they_are_offline(client):
    response = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "Bạn đang ngoại tuyến" in response.content.decode()
