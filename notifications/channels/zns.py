"""Zalo Notification Service (ZNS): a template message to a phone number, by Zalo's published API.

Send: ``POST {ZALO_API_URL}`` (``https://business.openapi.zalo.me/message/template``), header
``access_token``, JSON ``{"phone": "84…", "template_id": …, "template_data": {…},
"tracking_id": …}``; answer ``{"error": 0, "data": {"msg_id": …}}`` or ``{"error": -124,
"message": …}``.

The official account's access token lives about a day; a refused token (-124) is refreshed once
with the refresh token: ``POST {ZALO_OAUTH_URL}`` (``https://oauth.zaloapp.com/v4/oa/access_token``),
header ``secret_key``, form ``app_id``, ``refresh_token``, ``grant_type=refresh_token``; answer
``{"access_token", "refresh_token", "expires_in"}``. The refresh token is single-use, so the new
pair is stored (encrypted) in the same transaction that read the old one, under a row lock: two
workers never spend the same refresh token.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import crypto
from ..models import ProviderToken
from .base import Delivery, PermanentError, TemporaryError, msisdn, post

PROVIDER = "zalo"
EXPIRED_TOKEN = {-124, -216}  # "access token invalid / expired"


def _token_row() -> ProviderToken:
    row, created = ProviderToken.objects.get_or_create(provider=PROVIDER)
    if created or not (row.access_token or row.refresh_token):
        # First use: the tokens the operator put in the environment seed the stored pair.
        config = settings.NOTIFY_ZALO
        row.access_token = crypto.encrypt(config.get("access_token", ""))
        row.refresh_token = crypto.encrypt(config.get("refresh_token", ""))
        row.save()
    return row


def access_token() -> str:
    row = _token_row()
    if row.expires_at and row.expires_at <= timezone.now():
        return refresh(stale=crypto.decrypt(row.access_token))
    return crypto.decrypt(row.access_token)


def refresh(*, stale: str) -> str:
    """A new access token in place of ``stale``. If another worker refreshed meanwhile, its
    token is used (the refresh token is single-use: it must not be spent twice)."""
    config = settings.NOTIFY_ZALO
    with transaction.atomic():
        row = ProviderToken.objects.select_for_update().get(pk=_token_row().pk)
        current = crypto.decrypt(row.access_token)
        if current and current != stale:
            return current
        refresh_token = crypto.decrypt(row.refresh_token)
        if not refresh_token:
            raise PermanentError("Zalo: no refresh token stored; set ZALO_REFRESH_TOKEN")
        answer = post(
            config["oauth_url"],
            form={"app_id": config["app_id"], "refresh_token": refresh_token, "grant_type": "refresh_token"},
            headers={"secret_key": config["secret_key"]},
        )
        if not answer.get("access_token"):
            reason = answer.get("error_description") or answer.get("message") or answer.get("error")
            raise TemporaryError(f"Zalo token refresh refused: {reason}")
        row.access_token = crypto.encrypt(answer["access_token"])
        row.refresh_token = crypto.encrypt(answer.get("refresh_token") or refresh_token)
        expires_in = int(answer.get("expires_in") or 0)
        row.expires_at = timezone.now() + timedelta(seconds=max(expires_in - 60, 0)) if expires_in else None
        row.save()
        return answer["access_token"]


def send(message) -> Delivery:
    config = settings.NOTIFY_ZALO
    template_id = config.get("templates", {}).get(message.kind)
    if not template_id:
        raise PermanentError(
            f"Zalo: no ZNS template for “{message.kind}” (ZALO_TEMPLATE_{message.kind.upper()})"
        )
    body = {
        "phone": msisdn(message.address),
        "template_id": template_id,
        "template_data": {key: str(value) for key, value in message.params.items()},
        "tracking_id": message.idempotency_key,
    }
    token = access_token()
    answer = post(config["api_url"], json_body=body, headers={"access_token": token})
    if _code(answer) in EXPIRED_TOKEN:
        answer = post(config["api_url"], json_body=body, headers={"access_token": refresh(stale=token)})
    code = _code(answer)
    if code == 0:
        return Delivery(provider_message_id=str((answer.get("data") or {}).get("msg_id") or ""))
    reason = f"Zalo {code}: {answer.get('message') or 'no message'}"
    if code in config["permanent_codes"]:
        raise PermanentError(reason)
    raise TemporaryError(reason)  # an expired token after one refresh, quota, a Zalo outage


def _code(answer: dict) -> int:
    try:
        return int(answer.get("error", -1))
    except (TypeError, ValueError):
        return -1
