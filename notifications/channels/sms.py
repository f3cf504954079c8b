"""SMS through a Vietnamese brand-name SMS gateway over HTTPS + JSON.

The reference shape is eSMS.vn's ``SendMultipleMessage_V4_post_json`` (one request per message):
body ``{"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType", "IsUnicode",
"Sandbox", "RequestId"}``, answer ``{"CodeResult": "100", "SMSID": "…", "ErrorMessage": "…"}``.
eSMS blocks a repeated ``RequestId`` for 24 hours (code 124), so the message's idempotency key
goes there and a repeated send after a lost worker never reaches the phone twice. Which codes
mean success, "already accepted" or a permanent refusal is configurable (``SMS_*_CODES``) for a
gateway of the same shape with other codes; any other code is retried. With
``SMS_CALLBACK_SECRET`` set, ``CallbackUrl`` asks for a delivery report (``notifications.reports``).
"""

from django.conf import settings
from django.urls import reverse

from .base import Delivery, PermanentError, TemporaryError, msisdn, post


def send(message) -> Delivery:
    from ..texts import short_text

    config = settings.NOTIFY_SMS
    body = {
        "ApiKey": config["api_key"],
        "SecretKey": config["secret_key"],
        "Phone": msisdn(message.address),
        "Content": short_text(message, unaccented=config["unaccented"]),
        "Brandname": config["brandname"],
        "SmsType": config["sms_type"],
        "IsUnicode": "0" if config["unaccented"] else "1",
        "Sandbox": "1" if config["sandbox"] else "0",
        "RequestId": message.idempotency_key,
    }
    if config.get("callback_secret"):
        # eSMS reports the delivery to this URL (notifications.reports).
        path = reverse("notifications_callbacks:sms", args=[config["callback_secret"]])
        body["CallbackUrl"] = settings.SITE_URL.rstrip("/") + path
    answer = post(config["url"], json_body=body)
    code = str(answer.get("CodeResult", "")).strip()
    if code in config["success_codes"] or code in config["duplicate_codes"]:
        # A duplicate RequestId: the gateway already took this very message on an earlier try.
        return Delivery(provider_message_id=str(answer.get("SMSID") or ""))
    reason = f"SMS {code or '?'}: {answer.get('ErrorMessage') or 'no message'}"
    if code in config["permanent_codes"]:
        raise PermanentError(reason)
    raise TemporaryError(reason)
