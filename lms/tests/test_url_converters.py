"""Numbers in the site's addresses: only what fits the database, everything else a plain 404."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from lms.converters import DatabaseIdConverter, YearConverter

OUR_APPS = ("lms", "organizations", "courses", "training", "certificates", "surveys")


def _our_patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _our_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.split(".")[0] in OUR_APPS:
                yield prefix + str(entry.pattern), entry


def test_no_address_of_ours_takes_an_unbounded_integer():
    unbounded = [
        route
        for route, entry in _our_patterns(get_resolver().url_patterns)
        if not route.startswith("admin/")  # Wagtail's viewsets: see the admin test below
        and any(type(c) is IntConverter for c in getattr(entry.pattern, "converters", {}).values())
    ]
    assert unbounded == []


def test_the_converters_accept_only_what_fits():
    assert DatabaseIdConverter().to_python("9" * 18) == 10**18 - 1
    assert 2**63 - 1 > 10**18 - 1  # 18 digits always fit a signed 64-bit id
    ids = [route for route, _ in _our_patterns(get_resolver().url_patterns) if "<dbid:" in route]
    assert len(ids) > 20
    assert YearConverter.regex == "[0-9]{4}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/certificates/" + "9" * 25 + "/download/",
        "/learn/attempts/" + "9" * 25 + "/",
        "/surveys/" + "9" * 25 + "/results/",
        "/roster/officers/" + "9" * 25 + "/",
        "/training/classes/" + "9" * 25 + "/",
        "/audit/years/" + "9" * 25 + "/close/",
    ],
)
def test_an_overlong_number_is_a_404(client, django_user_model, url):
    user = django_user_model.objects.create_user(username="a", email="a@example.com", password="x" * 12)
    client.force_login(user)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_overlong_number_in_an_admin_address_is_a_404(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.com", "x" * 12)
    client.force_login(admin)
    assert client.get("/admin/roster/units/edit/" + "9" * 25 + "/").status_code == 404
