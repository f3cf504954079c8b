"""Every page sends a Content-Security-Policy; the site's own pages forbid inline script and style."""

import re

import pytest
from django.urls import reverse

SITE_POLICY = {
    "default-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


def inline_code(html: str) -> list[str]:
    """Inline scripts, event-handler attributes and style attributes in a page."""
    found = [m.group(0) for m in re.finditer(r"<script\b(?![^>]*\bsrc=)[^>]*>", html)]
    found += re.findall(r"<[^>]+\s(?:on[a-z]+|style)\s*=[^>]*>", html)
    found += re.findall(r"href=\"javascript:[^\"]*\"", html)
    return found


def assert_site_policy(response) -> None:
    directives = policy(response)
    for name, value in SITE_POLICY.items():
        assert directives.get(name) == value, (name, directives)
    # Scripts only from the site itself (plus a nonce, per response, when a page needs one).
    script = directives["script-src"].split()
    assert script[0] == "'self'" and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert all(source.startswith("'nonce-") for source in script[1:])
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert inline_code(response.text) == []


def test_the_public_pages_send_the_site_policy(client, db):
    for url in ["/", reverse("account_login"), reverse("verify:form"), "/verify/NO-SUCH-CODE/"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_site_policy(response)


def test_the_learner_and_auditor_pages_send_the_site_policy(client, learner, admin_auditor):
    client.force_login(learner)
    for url in ["/learn/", "/certificates/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_site_policy(response)
    client.force_login(admin_auditor)
    for url in ["/audit/", "/roster/officers/", "/roster/units/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_site_policy(response)


def test_redirects_and_error_pages_send_it_too(client, learner, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    assert_site_policy(client.get("/learn/"))  # 302 to sign-in
    client.force_login(learner)
    assert_site_policy(client.get("/roster/officers/"))  # 403
    assert_site_policy(client.get("/no-such-page/"))  # 404


@pytest.mark.parametrize("url", ["/admin/", "/admin/reports/site-history/"])
def test_the_wagtail_admin_has_its_own_looser_policy(client, admin_auditor, url):
    client.force_login(admin_auditor)
    response = client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    # Wagtail writes inline scripts and styles and frames its page previews.
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["default-src"] == "'self'"


def test_a_nonce_is_new_on_every_response_and_only_when_a_page_asks_for_one(rf):
    from django.http import HttpResponse

    from lms.middleware import ContentSecurityPolicyMiddleware

    def page_with_inline_script(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = ContentSecurityPolicyMiddleware(page_with_inline_script)
    first = policy(middleware(rf.get("/")))["script-src"]
    second = policy(middleware(rf.get("/")))["script-src"]
    assert first.startswith("'self' 'nonce-") and second.startswith("'self' 'nonce-") and first != second

    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>no script</p>"))
    assert policy(plain(rf.get("/")))["script-src"] == "'self'"
