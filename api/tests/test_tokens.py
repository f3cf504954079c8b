"""Personal access tokens: made on the account page, shown once, stored hashed, refused at once
when revoked or expired, last use recorded without a write per request."""

import hashlib
import re
from datetime import timedelta

from django.utils import timezone

from api.models import AccessToken, TokenScope
from api.tokens import LAST_USED_EVERY, note_use

from .conftest import ApiClient, assert_problem, token_for


def _make(client, **data):
    data = {"name": "Phần mềm nhân sự quận", "scope": "read", **data}
    data.setdefault("expires_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    return client.post("/api/tokens/", data)


def test_manager_makes_a_token_on_the_account_page_and_sees_it_once(client, manager_b, world):
    client.force_login(manager_b)
    page = client.get("/accounts/password/change/")
    assert "/api/tokens/" in page.text  # the account menu leads there
    response = _make(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'<code class="token-value">(hlcd_[\w-]+)</code>', response.text)[1]
    token = AccessToken.objects.get(user=manager_b)
    # Stored as its SHA-256 with a recognisable prefix; the token itself is nowhere in the row.
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(AccessToken.objects.filter(pk=token.pk).values().get())
    assert raw.startswith(token.prefix) and token.scope == TokenScope.READ
    # The next visit lists it by name and prefix only.
    again = client.get("/api/tokens/")
    assert raw not in again.text and token.prefix in again.text and "Phần mềm nhân sự quận" in again.text
    assert ApiClient(client, raw).get("/units").status_code == 200


def test_token_page_refuses_a_past_or_too_distant_expiry(client, manager_b):
    client.force_login(manager_b)
    assert _make(client, expires_on=timezone.localdate().isoformat()).status_code == 200
    assert (
        _make(client, expires_on=(timezone.localdate() + timedelta(days=400)).isoformat()).status_code == 200
    )
    assert not AccessToken.objects.exists()


def test_learners_cannot_make_tokens(client, learner):
    client.force_login(learner)
    assert client.get("/api/tokens/").status_code == 403
    assert _make(client).status_code == 403
    assert not AccessToken.objects.exists()
    assert "/api/tokens/" not in client.get("/accounts/password/change/").text


def test_revoked_token_is_refused_at_once(client, manager_b, world):
    raw = token_for(manager_b)
    api = ApiClient(client, raw)
    assert api.get("/units").status_code == 200
    token = AccessToken.objects.get()
    client.force_login(manager_b)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    body = assert_problem(api.get("/units"), 401)
    assert body["type"] == "/api/v1/problems/unauthorized"
    assert "thu hồi" in body["detail"]  # Vietnamese by default
    english = assert_problem(api.get("/units", HTTP_ACCEPT_LANGUAGE="en"), 401)
    assert "revoked" in english["detail"]


def test_someone_elses_token_cannot_be_revoked(client, manager_a, manager_b):
    token_for(manager_b)
    client.force_login(manager_a)
    assert client.post(f"/api/tokens/{AccessToken.objects.get().pk}/revoke/").status_code == 404
    assert AccessToken.objects.get().revoked_at is None


def test_expired_token_is_refused(client, manager_b, world):
    api = ApiClient(client, token_for(manager_b))
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_problem(api.get("/units"), 401)
    assert response_has_bearer_challenge(api.get("/units"))
    assert "hết hạn" in body["detail"]


def response_has_bearer_challenge(response) -> bool:
    return response["WWW-Authenticate"].startswith("Bearer")


def test_missing_or_made_up_tokens_are_401_problems(client, world):
    assert_problem(client.get("/api/v1/units"), 401)
    assert_problem(ApiClient(client, "hlcd_" + "x" * 43).get("/units"), 401)
    assert_problem(ApiClient(client, "not-even-ours").get("/units"), 401)


def test_a_token_stops_working_when_its_owner_loses_the_staff_role(client, manager_b, world):
    api = ApiClient(client, token_for(manager_b))
    manager_b.officer.roles.update(end_date=timezone.localdate() - timedelta(days=1))
    assert_problem(api.get("/units"), 403)
    manager_b.is_active = False
    manager_b.save()
    assert_problem(api.get("/units"), 401)


def test_last_use_is_recorded_but_not_written_on_every_request(
    client, manager_b, world, django_assert_num_queries
):
    api = ApiClient(client, token_for(manager_b))
    api.get("/units")
    first = AccessToken.objects.get().last_used_at
    assert first is not None
    api.get("/units")
    assert AccessToken.objects.get().last_used_at == first  # within LAST_USED_EVERY: no write
    token = AccessToken.objects.get()
    with django_assert_num_queries(0):
        note_use(token, first + LAST_USED_EVERY / 2)
    with django_assert_num_queries(1):
        note_use(token, first + LAST_USED_EVERY)
    assert AccessToken.objects.get().last_used_at == first + LAST_USED_EVERY
