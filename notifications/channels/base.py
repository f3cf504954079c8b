"""What every channel shares: the outcome of a send, its errors, a JSON POST with a timeout."""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings


@dataclass
class Delivery:
    provider_message_id: str = ""
    delivered: bool = False  # the provider reports the message delivered (not only accepted)


class DeliveryError(Exception):
    permanent = False


class TemporaryError(DeliveryError):
    """A timeout, a 5xx, a quota or rate limit: the same message may go through later."""


class PermanentError(DeliveryError):
    """An invalid phone, a template the provider refuses: retrying cannot help on this channel."""

    permanent = True


def timeout() -> float:
    return float(getattr(settings, "NOTIFY_HTTP_TIMEOUT", 10))


def post(url: str, *, json_body=None, form=None, headers=None) -> dict:
    """POST ``json_body`` (or a url-encoded ``form``) and return the JSON answer.

    A timeout, a refused connection, a 5xx or a 429 raise ``TemporaryError``; any other HTTP
    status with a JSON body is returned for the adapter to read its own error codes."""
    headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310 (configured URL)
            raw = response.read()
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise TemporaryError(f"HTTP {error.code} {error.reason}") from error
        raw = error.read()
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            raise PermanentError(f"HTTP {error.code} {error.reason}") from error
    except TimeoutError as error:
        raise TemporaryError(f"No answer within {timeout():g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise TemporaryError(f"No answer within {timeout():g} s") from error
        raise TemporaryError(f"Cannot reach {urllib.parse.urlsplit(url).netloc}: {error.reason}") from error
    except (ConnectionError, OSError) as error:
        raise TemporaryError(f"{type(error).__name__}: {error}") from error
    try:
        return json.loads(raw or b"{}")
    except ValueError as error:
        raise TemporaryError("The provider answered with something other than JSON") from error


def msisdn(phone: str) -> str:
    """A Vietnamese phone as providers want it: digits only, country code 84, no leading 0.

    Accepts the phone as the roster stores it (E.164 ``+84…`` once phones are normalised,
    or a national ``09…``): ``+84 912 345 678`` and ``0912345678`` both give ``84912345678``."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits
