"""SMS and Zalo when no provider is configured and ``NOTIFY_CONSOLE=1`` (``make run``): the text
is written to the worker's log instead, and the message is listed on "Tin đã gửi" as sent."""

from .base import Delivery


def send(message) -> Delivery:
    from ..texts import short_text

    text = short_text(message)
    print(f"[{message.channel.upper()} → {message.address}] {text}", flush=True)  # noqa: T201
    return Delivery(provider_message_id=f"console-{message.idempotency_key[:12]}")
