"""E-mail through Django's mail (SMTP in production, the console in ``make run``, locmem in tests)."""

import smtplib

from django.core.mail import send_mail

from .base import Delivery, PermanentError, TemporaryError


def send(message) -> Delivery:
    try:
        send_mail(message.subject, message.body, None, [message.address])
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError(f"{type(error).__name__}: {error}") from error
    except Exception as error:  # a server that cannot be reached, a timeout, a 4xx greylisting
        raise TemporaryError(f"{type(error).__name__}: {error}") from error
    return Delivery()
