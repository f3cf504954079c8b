"""E-mail through Django's mail (SMTP in production, the console in ``make run``, locmem in tests).

A message whose parameters carry an ``ics`` text (a class invitation) has it attached as a
calendar event."""

import smtplib

from django.core.mail import EmailMessage

from .base import Delivery, PermanentError, TemporaryError


def send(message) -> Delivery:
    email = EmailMessage(message.subject, message.body, None, [message.address])
    if ics := (message.params or {}).get("ics"):
        email.attach("invitation.ics", ics, "text/calendar")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError(f"{type(error).__name__}: {error}") from error
    except Exception as error:  # a server that cannot be reached, a timeout, a 4xx greylisting
        raise TemporaryError(f"{type(error).__name__}: {error}") from error
    return Delivery()
