"""The OpenAPI document lists every endpoint; the interactive docs load their assets under the CSP."""

import re

from django.contrib.staticfiles import finders

ENDPOINTS = {
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/{unit_id}"),
    ("get", "/api/v1/officers"),
    ("get", "/api/v1/officers/{officer_id}"),
    ("get", "/api/v1/role-assignments"),
    ("get", "/api/v1/training-records"),
    ("get", "/api/v1/training-records/{record_id}"),
    ("get", "/api/v1/certificates"),
    ("get", "/api/v1/certificates/{certificate_id}"),
    ("get", "/api/v1/audit/{year}"),
    ("get", "/api/v1/classes"),
    ("post", "/api/v1/classes/{class_id}/attendance"),
    ("post", "/api/v1/roster"),
}


def test_schema_lists_every_endpoint_with_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    listed = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert listed == ENDPOINTS
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "additionalProperties" in str(schema["components"]["schemas"]["OfficerRowIn"])


def test_docs_page_loads_its_assets_from_this_site_under_the_csp(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "cdn" not in response.text.lower()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "/static/ninja/swagger-ui-bundle.js" in response.text
    # The API's answers and the site's pages keep the strict policy.
    assert "unsafe-inline" not in client.get("/api/v1/units")["Content-Security-Policy"]
    assert "unsafe-inline" not in client.get("/accounts/login/")["Content-Security-Policy"]
