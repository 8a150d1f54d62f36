"""Signals the domain listens to; this app only sends them.

Every signal is sent with ``sender=OutboxEmail`` and ``email=<the row>``.
"""

from django.dispatch import Signal

#: The relay handed the message to the mail server or provider.
email_sent = Signal()

#: The relay gave up: the row is ``failed`` and will not be tried again by itself.
email_failed = Signal()

#: The provider reported that a sent message did not arrive (bounced, rejected, failed).
email_undelivered = Signal()
