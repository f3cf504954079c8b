"""E-mail backends for tests of sending failures."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Like locmem, but the mail server refuses addresses starting with "down" (or every address)."""

    refuse_all = False

    def send_messages(self, messages):
        for message in messages:
            if self.refuse_all or any(address.startswith("down") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


class UnreachableBackend(RefusingBackend):
    refuse_all = True
