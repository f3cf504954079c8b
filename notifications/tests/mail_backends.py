"""A mail server that cannot be reached (a temporary error)."""

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("[Errno 111] Connection refused")
