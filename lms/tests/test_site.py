import os
import subprocess
import sys

import pytest
from django.conf import settings


def test_home_page_in_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text
    assert '<meta name="viewport"' in response.text


def test_browser_language_does_not_override_vietnamese_default(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"


def test_language_switch_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.headers["Content-Language"] == "en"
    assert "Sign in" in page.text and "Đăng nhập" not in page.text
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get("/").text


def test_responses_vary_on_the_language_cookie_whatever_else_varies(rf):
    from django.http import HttpResponse

    from lms.middleware import SiteLanguageMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Vary"] = "Accept-Encoding"
        return response

    response = SiteLanguageMiddleware(view)(rf.get("/"))
    assert {v.strip() for v in response["Vary"].split(",")} == {"Accept-Encoding", "Cookie"}


def test_404_page_is_vietnamese(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_dates_are_day_first(db):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": date(2026, 3, 9)}))
    assert rendered == "09/03/2026"


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x7!kQ2#pL9@vR4$wZ8^mN3&bT6*yH1(cJ5)fG0-dS-uE4%aW7+rY2=tI9~oP3",
        "ALLOWED_HOSTS": "huanluyen.congdoanhanoi.vn",
        "SITE_URL": "https://huanluyen.congdoanhanoi.vn",
        "LMS_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_default_secret(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.production", "LMS_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("site_url", "complaint"),
    [(None, "Set SITE_URL"), ("", "Set SITE_URL"), ("http://huanluyen.congdoanhanoi.vn", "https://")],
)
def test_production_settings_refuse_a_missing_or_plain_http_site_url(tmp_path, site_url, complaint):
    """Certificates print a QR code to SITE_URL: production does not start with the development default."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x7!kQ2#pL9@vR4$wZ8^mN3&bT6*yH1(cJ5)fG0-dS-uE4%aW7+rY2=tI9~oP3",
        "LMS_VAR_DIR": str(tmp_path),
    }
    env.pop("SITE_URL", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert complaint in result.stderr


@pytest.mark.parametrize("path", ["/roster/officers/", "/admin/"])
def test_anonymous_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response.headers["Location"]


def test_403_page_is_vietnamese(client, learner):
    from courses.tests.conftest import build_course

    course, _, _ = build_course()
    client.force_login(learner)
    response = client.get(f"/learn/courses/{course.pk}/assign/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text and "Về trang chủ" in response.text


def test_500_page_is_vietnamese_and_needs_no_database(rf):
    from lms.views import server_error

    response = server_error(rf.get("/"))  # no db fixture: any query would raise here
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


@pytest.mark.urls("lms.tests.broken_urls")
def test_an_unhandled_error_shows_the_500_page(client, db):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
