"""Mail servers that misbehave, set with settings.EMAIL_BACKEND in tests."""

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down: every send raises."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Anslutningen till e-postservern bröts")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient's address for good."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({"karin@polisen.test": (550, b"No such user")})
